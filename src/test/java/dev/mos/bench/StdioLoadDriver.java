package dev.mos.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver for log_event over stdio: starts the server as a child process (the command given, e.g.
 * "./mos stdio"), then measures (1) the time from process start to the initialize answer, (2) pipelined
 * throughput with a fixed number of requests in flight, (3) the sequential round trip (median, p99).
 *
 * <pre>java -cp target/test-classes dev.mos.bench.StdioLoadDriver [calls] [inFlight] -- ./mos stdio</pre>
 */
public final class StdioLoadDriver {

    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"load\",\"version\":\"1\"}}}\n";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n";

    public static void main(String[] args) throws Exception {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator < 0) {
            System.err.println("usage: StdioLoadDriver [calls] [inFlight] -- <server command...>");
            System.exit(2);
        }
        int calls = separator > 0 ? Integer.parseInt(args[0]) : 200_000;
        int inFlight = separator > 1 ? Integer.parseInt(args[1]) : 64;
        List<String> command = Arrays.asList(args).subList(separator + 1, args.length);

        List<Long> initTimes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            initTimes.add(timeToInitialize(command));
        }
        initTimes.sort(null);
        System.out.printf(Locale.ROOT, "initialize after process start: median %d ms (runs: %s)%n",
                initTimes.get(2), initTimes);

        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream out = p.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        initialize(out, in);

        // warm-up, then the measured pipelined run
        pipelined(out, in, 1, Math.min(calls, 50_000), inFlight);
        double perSecond = pipelined(out, in, 1_000_000, calls, inFlight);
        System.out.printf(Locale.ROOT, "pipelined log_event: %d calls, %d in flight: %.0f calls/s%n", calls, inFlight,
                perSecond);

        long[] rtt = sequential(out, in, 5_000_000, 20_000);
        System.out.printf(Locale.ROOT, "sequential log_event round trip: median %.3f ms, p99 %.3f ms (%d calls)%n",
                rtt[rtt.length / 2] / 1e6, rtt[(int) (rtt.length * 0.99)] / 1e6, rtt.length);
        out.close();
        p.waitFor(30, TimeUnit.SECONDS);
        p.destroyForcibly();
    }

    static long timeToInitialize(List<String> command) throws Exception {
        return timeToInitialize(new ProcessBuilder(command));
    }

    /** Milliseconds from starting {@code server} to its answer to initialize. */
    static long timeToInitialize(ProcessBuilder server) throws Exception {
        long start = System.nanoTime();
        Process p = server.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().write(INIT.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        if (line == null || !line.contains("\"id\":0")) {
            throw new IllegalStateException("no initialize answer: " + line);
        }
        p.getOutputStream().close();
        p.waitFor(30, TimeUnit.SECONDS);
        p.destroyForcibly();
        return elapsed;
    }

    private static byte[] call(long id) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"log_event\","
                + "\"arguments\":{\"event\":{\"session_id\":\"load-" + (id % 16) + "\",\"event_type\":\""
                + (id % 2 == 0 ? "tool_pre_call" : "tool_post_call") + "\",\"correlation_id\":\"toolu_" + (id / 2)
                + "\",\"details\":{\"name\":\"Read\",\"file\":\"src/Main.java\"}}}}}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Sends initialize and notifications/initialized, waits for the answer. */
    static void initialize(OutputStream out, BufferedReader in) throws IOException {
        out.write((INIT + INITIALIZED).getBytes(StandardCharsets.UTF_8));
        out.flush();
        in.readLine();
    }

    static double pipelined(OutputStream out, BufferedReader in, long firstId, int calls, int inFlight)
            throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicLong answered = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < calls; i++) {
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    if (line.contains("\"isError\":true")) {
                        throw new IllegalStateException("error answer: " + line);
                    }
                    answered.incrementAndGet();
                    window.release();
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        long start = System.nanoTime();
        reader.start();
        for (int i = 0; i < calls; i++) {
            window.acquire();
            out.write(call(firstId + i));
            if (window.availablePermits() == 0 || i == calls - 1) {
                out.flush();
            }
        }
        out.flush();
        reader.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (answered.get() != calls) {
            throw new IllegalStateException("answered " + answered.get() + " of " + calls);
        }
        return calls / seconds;
    }

    static long[] sequential(OutputStream out, BufferedReader in, long firstId, int calls) throws Exception {
        long[] times = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            out.write(call(firstId + i));
            out.flush();
            String line = in.readLine();
            times[i] = System.nanoTime() - start;
            if (line == null || line.contains("\"isError\":true")) {
                throw new IllegalStateException("bad answer: " + line);
            }
        }
        Arrays.sort(times);
        return times;
    }
}
