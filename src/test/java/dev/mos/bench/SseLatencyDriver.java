package dev.mos.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end latency from an ingest request to the event arriving at SSE subscribers of a running server:
 * {@code java -cp target/test-classes:... dev.mos.bench.SseLatencyDriver http://127.0.0.1:3000 100 5000 10}
 * (subscribers, events per second, measured seconds; two warm-up seconds first). Each event carries the
 * driver's System.nanoTime() at the moment its batch is sent, and every subscriber (in this JVM, same clock)
 * records arrival minus that; batches of 50 every 10 ms make 5,000 events/s.
 */
public final class SseLatencyDriver {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:3000";
        int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int warmup = 2;
        int batch = 50;
        HttpClient http = HttpClient.newHttpClient();

        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lags = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        int[] counts = new int[subscribers];
        CountDownLatch connected = new CountDownLatch(subscribers);
        int capacity = rate * (seconds + warmup + 2);
        List<InputStream> bodies = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            long[] mine = new long[capacity];
            samples.add(mine);
            int index = s;
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/stream"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            bodies.add(r.body());
            Thread t = new Thread(() -> read(r.body(), mine, counts, index, measureFrom, lags, connected),
                    "sub-" + s);
            t.setDaemon(true);
            t.start();
        }
        connected.await();
        System.out.println(subscribers + " subscribers connected; ingesting");

        long periodNs = 1_000_000_000L * batch / rate;
        long start = System.nanoTime();
        long end = start + (warmup + seconds) * 1_000_000_000L;
        measureFrom.set(start + warmup * 1_000_000_000L);
        long sentMeasured = 0;
        long next = start;
        long seq = 0;
        while (next < end) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
            long sentNs = System.nanoTime();
            StringBuilder body = new StringBuilder(batch * 160).append("{\"method\": \"log_event\", \"params\": {\"events\": [");
            for (int i = 0; i < batch; i++, seq++) {
                if (i > 0) {
                    body.append(',');
                }
                boolean start2 = seq % 2 == 0;
                body.append("{\"session_id\": \"lat-").append(seq % 10).append("\", \"event_type\": \"")
                        .append(start2 ? "tool_pre_call" : "tool_post_call").append("\", \"correlation_id\": \"c")
                        .append(seq / 2).append("\", \"details\": {\"name\": \"Read\", \"sent_ns\": ")
                        .append(sentNs).append("}}");
            }
            body.append("]}}");
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(base + "/mcp"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                System.out.println("an ingest request took over 10 s: the machine cannot keep this rate; stopping");
                break;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("ingest failed: HTTP " + r.statusCode() + " " + r.body());
            }
            if (sentNs >= measureFrom.get()) {
                sentMeasured += batch;
            }
            next += periodNs;
        }
        double actualSeconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(2000);
        long total = 0;
        long[] all = new long[0];
        for (int s = 0; s < subscribers; s++) {
            long[] mine = Arrays.copyOf(samples.get(s), counts[s]);
            total += counts[s];
            long[] merged = Arrays.copyOf(all, all.length + mine.length);
            System.arraycopy(mine, 0, merged, all.length, mine.length);
            all = merged;
        }
        Arrays.sort(all);
        System.out.printf("ingest kept %.0f events/s on average%n", (seq - 0) / actualSeconds);
        System.out.printf("subscribers=%d rate=%d/s measured=%ds (ran %.1fs incl. warm-up) events sent in window=%d "
                        + "deliveries=%d (expected %d) lag notices=%d%n", subscribers, rate, seconds, actualSeconds,
                sentMeasured, total, sentMeasured * subscribers, lags.get());
        System.out.printf("ingest->SSE latency: p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms%n", pct(all, 50),
                pct(all, 90), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        for (InputStream b : bodies) {
            try {
                b.close();
            } catch (Exception ignored) {
                // closing
            }
        }
        System.exit(0);
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static void read(InputStream body, long[] out, int[] counts, int index, AtomicLong measureFrom,
            AtomicLong lags, CountDownLatch connected) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            boolean ready = false;
            while ((line = r.readLine()) != null) {
                if (!ready && line.startsWith("event: ready")) {
                    ready = true;
                    connected.countDown();
                }
                if (line.startsWith("event: lag")) {
                    lags.incrementAndGet();
                }
                int at = line.indexOf("\"sent_ns\":");
                if (at < 0) {
                    continue;
                }
                long now = System.nanoTime();
                int i = at + 10;
                while (line.charAt(i) == ' ') {
                    i++;
                }
                long sent = 0;
                while (i < line.length() && Character.isDigit(line.charAt(i))) {
                    sent = sent * 10 + (line.charAt(i++) - '0');
                }
                if (sent >= measureFrom.get() && counts[index] < out.length) {
                    out[counts[index]++] = now - sent;
                }
            }
        } catch (Exception e) {
            // stream closed
        }
    }
}
