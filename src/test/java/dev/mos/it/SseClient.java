package dev.mos.it;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** A real Server-Sent Events reader over java.net.http: parses id/event/data blocks and comments. */
final class SseClient implements AutoCloseable {

    record Message(String id, String event, String data, boolean comment) {
        JsonNode json() {
            return Http.JSON.readTree(data);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    final int status;
    private final InputStream body;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.body = response.body();
        Thread reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static SseClient open(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return new SseClient(CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event != null || data.length() > 0) {
                        messages.add(new Message(id, event == null ? "message" : event, data.toString(), false));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    messages.add(new Message(null, null, line.substring(1).trim(), true));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (Exception e) {
            // stream closed
        } finally {
            ended = true;
        }
    }

    /** The next message other than a comment, or null after the timeout. */
    Message next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (m == null || !m.comment()) {
                return m;
            }
        }
    }

    /** The next message of the given event type (others are skipped), or null after the timeout. */
    Message next(String event, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Message m = next(Duration.ofNanos(left));
            if (m == null || m.event().equals(event)) {
                return m;
            }
        }
    }

    /** The next comment (heartbeat), or null after the timeout. */
    Message nextComment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (m == null || m.comment()) {
                return m;
            }
        }
    }

    boolean ended() {
        return ended && messages.isEmpty();
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
