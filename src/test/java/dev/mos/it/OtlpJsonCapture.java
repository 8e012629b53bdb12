package dev.mos.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records what an agent POSTs to OTLP/HTTP with the JSON protocol ({@code /v1/logs}, {@code /v1/metrics},
 * {@code /v1/traces}), one line per request: {@code {"path": ..., "body": <the request as sent>}}. That is the form of
 * the captured samples under {@code src/test/resources/dev/mos/agents/}.
 */
final class OtlpJsonCapture implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    OtlpJsonCapture() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "otlp-json-capture");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            String path = exchange.getRequestURI().getPath();
            if (!type.startsWith("application/json")) {
                problems.add(path + ": content type " + type + " (" + body.length + " bytes), not JSON");
            } else {
                JsonNode parsed = JSON.readTree(body);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("path", path);
                line.put("body", parsed);
                lines.add(JSON.writeValueAsString(line));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] ok = "{}".getBytes();
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
