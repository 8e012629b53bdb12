package dev.mos.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows one session of a running server live in the terminal. On a TTY the Claude-Code-style tree is redrawn in
 * place (colours per activity type, running operations ticking, slow and failed ones highlighted); otherwise the
 * tree is printed once and then one plain line per event and alert, so that the output can be piped or logged.
 * Reads the server's REST tree and its SSE session stream, resuming with Last-Event-ID after a disconnect.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Follow a session live (default: the most recently active one) from a running server.")
final class TailCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", defaultValue = "latest", description = "Session id (default latest)")
    String session;

    @Option(names = "--url", description = ServerUrl.DESCRIPTION)
    String url;

    @Option(names = "--token", description = "Bearer token (default: the first of $MCP_AUTH_TOKEN)")
    String token;

    @Option(names = "--plain", description = "Plain lines even on a terminal")
    boolean plain;

    @Option(names = "--once", description = "Print the tree once and exit")
    boolean once;

    @Option(names = "--max-events", defaultValue = "0", description = "Exit after this many events and their alerts (0 = never)")
    long maxEvents;

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() throws Exception {
        String base = ServerUrl.resolve(url);
        if (token == null && System.getenv("MCP_AUTH_TOKEN") != null) {
            token = System.getenv("MCP_AUTH_TOKEN").split(",")[0].trim();
        }
        boolean live = !plain && Terminal.isInteractive();
        TailView view = new TailView(live);
        try {
            JsonNode summary = getJson(base + "/api/v1/sessions/" + enc(session));
            String id = summary.get("session_id").asString();
            long cursor = summary.get("last_sequence").asLong();
            out.print(view.frame(getText(base, id)));
            if (once) {
                return 0;
            }
            long seen = 0;
            long lastDraw = System.nanoTime();
            while (true) {
                try {
                    HttpRequest.Builder b = request(base + "/api/v1/sessions/" + enc(id) + "/stream?heartbeat_ms=1000")
                            .header("Accept", "text/event-stream").header("Last-Event-ID", Long.toString(cursor));
                    HttpResponse<java.io.InputStream> r = client.send(b.build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200) {
                        throw new TailException(base, r.statusCode(), new String(r.body().readAllBytes(),
                                StandardCharsets.UTF_8));
                    }
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(),
                            StandardCharsets.UTF_8))) {
                        String line;
                        String event = null;
                        String sseId = null;
                        while ((line = in.readLine()) != null) {
                            if (line.startsWith("event: ")) {
                                event = line.substring(7);
                            } else if (line.startsWith("id: ")) {
                                sseId = line.substring(4);
                            } else if (line.startsWith("data: ")) {
                                JsonNode data = json.readTree(line.substring(6));
                                if ("activity".equals(event)) {
                                    cursor = Long.parseLong(sseId);
                                    seen++;
                                    if (!live) {
                                        out.println(view.eventLine(data));
                                    }
                                } else if ("alert".equals(event) && !live) {
                                    out.println(view.alertLine(data));
                                } else if ("lag".equals(event)) {
                                    cursor = data.get("resync_cursor").asLong();
                                }
                            } else if (line.isEmpty()) {
                                // --max-events stops at the next heartbeat, so that the alerts that follow the
                                // last counted event are printed too.
                                if (maxEvents > 0 && seen >= maxEvents && event == null) {
                                    return 0;
                                }
                                event = null;
                                sseId = null;
                            }
                            // After each message, heartbeats included (so running operations tick), at most five
                            // redraws a second: a burst of events costs one tree read, not one per event.
                            if (line.isEmpty() && live && System.nanoTime() - lastDraw > 200_000_000L) {
                                out.print(view.frame(getText(base, id)));
                                lastDraw = System.nanoTime();
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    System.err.println("mos tail: connection to " + base + " lost (" + e.getMessage()
                            + "); retrying");
                }
                Thread.sleep(2000);
            }
        } catch (TailException e) {
            System.err.println("mos tail: " + e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            System.err.println("mos tail: cannot reach " + base + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        }
    }

    private String getText(String base, String id) throws Exception {
        HttpResponse<String> r = client.send(request(base + "/api/v1/sessions/" + enc(id)
                + "/tree?format=text").build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new TailException(base, r.statusCode(), r.body());
        }
        return "Session " + id + "\n" + r.body();
    }

    private JsonNode getJson(String u) throws Exception {
        HttpResponse<String> r = client.send(request(u).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new TailException(u, r.statusCode(), r.body());
        }
        return json.readTree(r.body());
    }

    private HttpRequest.Builder request(String u) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(u));
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A server answer that ends the tail: the message carries the server's own error text. */
    private static final class TailException extends RuntimeException {
        TailException(String where, int status, String body) {
            super("HTTP " + status + " from " + where + ": " + errorText(body), null, false, false);
        }

        private static String errorText(String body) {
            try {
                JsonNode n = JsonMapper.builder().build().readTree(body);
                return n.has("error") ? n.get("error").asString() : body;
            } catch (RuntimeException e) {
                return body;
            }
        }
    }
}
