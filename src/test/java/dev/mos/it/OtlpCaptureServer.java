package dev.mos.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver on loopback for tests: decodes each {@code ExportTraceServiceRequest} with the
 * protocol's generated classes and keeps it, with the request headers. It can also hang (accept and never answer)
 * to play a stuck backend.
 */
final class OtlpCaptureServer implements AutoCloseable {

    /** One export request as received. */
    record Received(Map<String, List<String>> headers, ExportTraceServiceRequest request) {
        List<Span> spans() {
            List<Span> out = new ArrayList<>();
            for (ResourceSpans rs : request.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    out.addAll(ss.getSpansList());
                }
            }
            return out;
        }

        Resource resource() {
            return request.getResourceSpans(0).getResource();
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final boolean hang;

    private OtlpCaptureServer(int port, boolean hang) throws IOException {
        this.hang = hang;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "otlp-capture");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/traces", this::handle);
        server.start();
    }

    static OtlpCaptureServer start() throws IOException {
        return new OtlpCaptureServer(0, false);
    }

    static OtlpCaptureServer startOn(int port) throws IOException {
        return new OtlpCaptureServer(port, false);
    }

    /** Accepts connections and requests but never answers (until closed). */
    static OtlpCaptureServer hanging() throws IOException {
        return new OtlpCaptureServer(0, true);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    List<Span> spans() {
        List<Span> out = new ArrayList<>();
        received.forEach(r -> out.addAll(r.spans()));
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!exchange.getRequestMethod().equals("POST") || !String.valueOf(
                    exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/x-protobuf")) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
                    ExportTraceServiceRequest.parseFrom(body)));
            byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
            if (ok.length > 0) {
                exchange.getResponseBody().write(ok);
            }
        }
    }

    static String hex(com.google.protobuf.ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    static AnyValue attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue).findFirst()
                .orElse(null);
    }

    static String text(List<KeyValue> attributes, String key) {
        AnyValue v = attribute(attributes, key);
        return v == null ? null : v.getStringValue();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
