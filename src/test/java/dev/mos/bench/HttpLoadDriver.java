package dev.mos.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver for log_event over HTTP against a running server ({@code ./mos serve}), using the plain
 * {"method": "log_event", "params": {...}} form on /mcp: pipelined throughput with a fixed number of requests
 * in flight, then the sequential round trip (median, p99).
 *
 * <pre>java -cp target/test-classes dev.mos.bench.HttpLoadDriver http://127.0.0.1:3000 [calls] [inFlight]</pre>
 */
public final class HttpLoadDriver {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:3000";
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(base + "/mcp");

        concurrent(client, uri, 0, Math.min(calls, 20_000), inFlight);
        double perSecond = concurrent(client, uri, 1_000_000, calls, inFlight);
        System.out.printf(Locale.ROOT, "HTTP log_event: %d calls, %d in flight: %.0f calls/s%n", calls, inFlight,
                perSecond);

        int sequentialCalls = 10_000;
        long[] times = new long[sequentialCalls];
        for (int i = 0; i < sequentialCalls; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = client.send(request(uri, 5_000_000 + i), HttpResponse.BodyHandlers.ofString());
            times[i] = System.nanoTime() - start;
            check(r);
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "HTTP log_event sequential round trip: median %.3f ms, p99 %.3f ms%n",
                times[sequentialCalls / 2] / 1e6, times[(int) (sequentialCalls * 0.99)] / 1e6);
    }

    private static HttpRequest request(URI uri, long n) {
        String body = "{\"method\":\"log_event\",\"params\":{\"event\":{\"session_id\":\"http-load-" + (n % 16)
                + "\",\"event_type\":\"" + (n % 2 == 0 ? "tool_pre_call" : "tool_post_call")
                + "\",\"correlation_id\":\"toolu_" + (n / 2) + "\",\"details\":{\"name\":\"Read\","
                + "\"file\":\"src/Main.java\"}}}}";
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    private static double concurrent(HttpClient client, URI uri, long firstId, int calls, int inFlight)
            throws Exception {
        Semaphore window = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(calls);
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            window.acquire();
            client.sendAsync(request(uri, firstId + i), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                        window.release();
                        done.countDown();
                    });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " failed calls");
        }
        return calls / seconds;
    }
}
