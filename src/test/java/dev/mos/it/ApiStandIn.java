package dev.mos.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the scripted model API stand-ins ({@link MessagesApiStandIn}, {@link ResponsesApiStandIn},
 * {@link GeminiApiStandIn}) share: an HTTP server on a free loopback port with daemon threads, the scripts by name
 * (each a list of {@code STEP}s and the final text), the {@code [[sc:NAME]]} marker that picks one, a log of the
 * requests for failure messages, and sending a response. A subclass answers one request in {@link #handle}; an
 * exception there is logged and answered with status 500 and {@link #errorBody}.
 *
 * @param <STEP> one model turn of a script (the tool calls it makes)
 */
abstract class ApiStandIn<STEP> implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern MARKER = Pattern.compile("\\[\\[sc:([A-Za-z0-9_-]+)]]");

    private final HttpServer server;
    private final Map<String, List<STEP>> scripts = new LinkedHashMap<>();
    private final Map<String, String> finalTexts = new LinkedHashMap<>();
    final List<String> requestLog = new CopyOnWriteArrayList<>();

    /** Starts serving at once; {@code threadName} names its threads. */
    ApiStandIn(String threadName) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    /** Answers one request (the exchange is closed afterwards). */
    abstract void handle(HttpExchange exchange) throws IOException;

    /** The body of the 500 answer when {@link #handle} fails, in the API's own error format. */
    abstract String errorBody();

    /** The response header naming the request id the real API sends, or null for none. */
    String requestIdHeader() {
        return null;
    }

    /** Adds script {@code name}: its steps, then {@code finalText} once they are done. */
    final void define(String name, String finalText, List<STEP> steps) {
        scripts.put(name, List.copyOf(steps));
        finalTexts.put(name, finalText);
    }

    /** The steps of script {@code name}; empty for none (null). */
    final List<STEP> steps(String name) {
        return name == null ? List.of() : scripts.getOrDefault(name, List.of());
    }

    /** The final text of script {@code name}; "ok" for none (null). */
    final String finalText(String name) {
        return name == null ? "ok" : finalTexts.get(name);
    }

    /**
     * The script named by the first (or, with {@code last}, the last) {@code [[sc:NAME]]} marker in {@code text},
     * when there is a script of that name; else null.
     */
    final String scriptMarkedIn(CharSequence text, boolean last) {
        Matcher matcher = MARKER.matcher(text);
        String found = null;
        while (matcher.find()) {
            found = matcher.group(1);
            if (!last) {
                break;
            }
        }
        return found != null && scripts.containsKey(found) ? found : null;
    }

    /** The loopback port it listens on. */
    final int port() {
        return server.getAddress().getPort();
    }

    /** The request body, gzip-decoded when sent so. */
    static byte[] body(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        try (InputStream in = "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(exchange.getRequestBody())
                : exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    /** {@code event: NAME} and {@code data: JSON} of one server-sent event. */
    static String sse(String event, Object data) {
        return "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
    }

    final void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        if (requestIdHeader() != null) {
            exchange.getResponseHeaders().set(requestIdHeader(), "req_sc_" + System.nanoTime());
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                handle(exchange);
            } catch (RuntimeException e) {
                requestLog.add("  stand-in failed: " + e);
                send(exchange, 500, "application/json", errorBody());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
