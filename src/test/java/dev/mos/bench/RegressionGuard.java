package dev.mos.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The regression guard ({@code bench/guard.sh}): measures the figures that matter to users on two builds in one run,
 * alternating, and prints each beside the one committed in docs/PERFORMANCE.md (its "Regression guard" table), so a
 * change that halves a number shows. A benchmark, not a test: it fails nothing, it only flags (exit 1) a figure that
 * fell below {@link #FLAG} of the baseline measured in the same run.
 *
 * <p>Figures: stdio as Claude Code meets it (fresh {@code ./mos stdio} per measurement, default SQLite store in a fresh
 * data directory, cold JIT): time to the initialize answer, 20,000 pipelined log_event calls, sequential round trip;
 * the same throughput on the memory store; {@code POST /hooks} under wrk with a real Claude Code PostToolUse payload;
 * OTLP logs decoded, mapped and stored in-process (protobuf, JSON); and a JMH set. Each build is a project directory
 * whose {@code target/} holds {@code mos.jar}, {@code classes}, {@code test-classes} and {@code cp.txt}.
 *
 * <pre>java -cp ... dev.mos.bench.RegressionGuard --now DIR [--base DIR --base-label L] [--rounds 3]
 *     [--committed docs/PERFORMANCE.md] [--only stdio,hooks,otlp,jmh]</pre>
 */
public final class RegressionGuard {

    /** A figure below this share of the baseline (for latencies: above its inverse) is flagged. */
    static final double FLAG = 0.7;

    private static final int PIPELINED_CALLS = 20_000;
    private static final int IN_FLIGHT = 64;
    private static final int SEQUENTIAL_CALLS = 2_000;
    private static final List<String> JMH_SET = List.of("IngestBenchmark\\.accept$", "IngestBenchmark\\.acceptRaw$",
            "TreeBuildBenchmark\\.build$", "HooksBenchmark\\.parseMapDecode$");

    /** What a figure is and which way is better. */
    record Figure(String id, String unit, boolean higherIsBetter) {
    }

    /** One build being measured. */
    record Build(String label, Path dir) {

        Path mos() {
            return dir.resolve("mos");
        }

        String classpath() throws IOException {
            Path target = dir.resolve("target");
            return target.resolve("classes") + ":" + target.resolve("test-classes") + ":"
                    + Files.readString(target.resolve("cp.txt")).trim();
        }
    }

    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();
    private final Path scratch;

    private RegressionGuard(Path scratch) {
        this.scratch = scratch;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Build now = new Build("now", Path.of(options.getOrDefault("--now", ".")).toAbsolutePath());
        Build base = options.containsKey("--base")
                ? new Build(options.getOrDefault("--base-label", "base"), Path.of(options.get("--base")).toAbsolutePath())
                : null;
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
        List<String> groups = List.of(options.getOrDefault("--only", "stdio,hooks,otlp,jmh").split(","));
        Path committedFile = Path.of(options.getOrDefault("--committed", "docs/PERFORMANCE.md"));
        Map<String, Double> committed = Files.exists(committedFile) ? committed(Files.readString(committedFile))
                : Map.of();

        Path scratch = Files.createTempDirectory("mos-guard");
        RegressionGuard guard = new RegressionGuard(scratch);
        List<Build> builds = base == null ? List.of(now) : List.of(now, base);
        for (int round = 0; round < rounds; round++) {
            // Alternate the order so that neither build always runs on a machine the other one just warmed.
            List<Build> order = round % 2 == 0 ? builds : builds.reversed();
            for (Build build : order) {
                System.err.printf(Locale.ROOT, "guard: round %d of %d, %s%n", round + 1, rounds, build.label());
                if (groups.contains("stdio")) {
                    guard.stdio(build, "sqlite");
                    guard.stdioThroughput(build, "memory");
                }
                if (groups.contains("hooks")) {
                    guard.hooks(build);
                }
                if (groups.contains("otlp")) {
                    guard.otlp(build, "protobuf");
                    guard.otlp(build, "json");
                }
            }
        }
        if (groups.contains("jmh")) {
            for (Build build : builds) {
                System.err.printf(Locale.ROOT, "guard: JMH set, %s%n", build.label());
                guard.jmh(build);
            }
        }
        boolean flagged = guard.print(now, base, committed);
        deleteTree(scratch);
        System.exit(flagged ? 1 : 0);
    }

    // ---- stdio ------------------------------------------------------------------------------------------------

    private void stdio(Build build, String store) throws Exception {
        long init = StdioLoadDriver.timeToInitialize(server(build, store, "stdio"));
        record("stdio.initialize", "ms", false, build, init);
        stdioThroughput(build, store);
        try (Stdio s = new Stdio(server(build, store, "stdio"))) {
            long[] rtt = StdioLoadDriver.sequential(s.out, s.in, 1, SEQUENTIAL_CALLS);
            record("stdio.sequential.p50", "ms", false, build, rtt[rtt.length / 2] / 1e6);
        }
    }

    private void stdioThroughput(Build build, String store) throws Exception {
        try (Stdio s = new Stdio(server(build, store, "stdio"))) {
            double perSecond = StdioLoadDriver.pipelined(s.out, s.in, 1, PIPELINED_CALLS, IN_FLIGHT);
            record("stdio.pipelined." + store, "calls/s", true, build, perSecond);
        }
    }

    /** A fresh server as a new user starts it, in a data directory of its own. */
    private ProcessBuilder server(Build build, String store, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(build.mos().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(build.dir().toFile());
        pb.environment().put("MCP_DATA_DIR", Files.createTempDirectory(scratch, "data").toString());
        pb.environment().put("MCP_STORE", store);
        return pb;
    }

    /** A stdio server, initialized. */
    private static final class Stdio implements AutoCloseable {
        final Process process;
        final OutputStream out;
        final BufferedReader in;

        Stdio(ProcessBuilder pb) throws IOException {
            process = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
            out = process.getOutputStream();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StdioLoadDriver.initialize(out, in);
        }

        @Override
        public void close() throws Exception {
            out.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    // ---- POST /hooks ------------------------------------------------------------------------------------------

    private void hooks(Build build) throws Exception {
        Path body = scratch.resolve("post-tool-use.json");
        if (!Files.exists(body)) {
            Files.writeString(body, realPostToolUse());
            Files.writeString(scratch.resolve("post.lua"), """
                    local f = io.open(os.getenv("BODY_FILE"), "r"); local body = f:read("*a"); f:close()
                    wrk.method = "POST"; wrk.body = body; wrk.headers["Content-Type"] = "application/json"
                    """);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server = server(build, "sqlite", "serve", "--port", String.valueOf(port))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            awaitReady("http://127.0.0.1:" + port + "/health/ready");
            String url = "http://127.0.0.1:" + port + "/hooks";
            wrk(url, body, 2); // warm-up
            long cpuBefore = cpuTicks(server.pid());
            String report = wrk(url, body, 8);
            long cpuTicks = cpuTicks(server.pid()) - cpuBefore;
            record("hooks.requests", "req/s", true, build, number(report, "Requests/sec:\\s+([\\d.]+)"));
            double requests = number(report, "(\\d+) requests in");
            if (cpuTicks > 0 && requests > 0) {
                // the server's own CPU per request (user + system): steadier than req/s on a shared machine
                record("hooks.cpu_per_request", "us", false, build, cpuTicks * 10_000.0 / requests);
            }
            Matcher p99 = Pattern.compile("99%\\s+([\\d.]+)(us|ms|s)\\b").matcher(report);
            if (p99.find()) {
                double scale = switch (p99.group(2)) {
                    case "us" -> 0.001;
                    case "s" -> 1000;
                    default -> 1;
                };
                record("hooks.p99", "ms", false, build, Double.parseDouble(p99.group(1)) * scale);
            }
            if (report.contains("Non-2xx")) {
                throw new IllegalStateException(build.label() + ": /hooks answered errors under load:\n" + report);
            }
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** User + system CPU of a process so far, in clock ticks (1/100 s on Linux); 0 where /proc is missing. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The first PostToolUse Claude Code 2.1.332 really sent (the capture in the test resources). */
    private static String realPostToolUse() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        try (var in = RegressionGuard.class.getResourceAsStream("/claude-code-2.1.332-capture.jsonl")) {
            if (in == null) {
                throw new IllegalStateException("claude-code-2.1.332-capture.jsonl is not on the classpath");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                JsonNode record = json.readTree(line);
                if ("/hooks".equals(record.path("path").asString())) {
                    String body = record.path("body").asString();
                    if ("PostToolUse".equals(json.readTree(body).path("hook_event_name").asString())) {
                        return body;
                    }
                }
            }
        }
        throw new IllegalStateException("no PostToolUse in the capture");
    }

    private String wrk(String url, Path body, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + seconds + "s", "--latency", "-s",
                scratch.resolve("post.lua").toString(), url).redirectErrorStream(true);
        pb.environment().put("BODY_FILE", body.toString());
        Process wrk;
        try {
            wrk = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("wrk is not installed (Debian: apt-get install wrk)", e);
        }
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        return out;
    }

    private static void awaitReady(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server not ready within 60 s: " + url);
    }

    // ---- in-process benchmarks of each build ------------------------------------------------------------------

    private void otlp(Build build, String format) throws Exception {
        String out = java(build, List.of(), "dev.mos.bench.OtlpIngestBench", format, "3", "2");
        record("otlp.logs." + format, "records/s", true, build,
                number(out, "median: ([\\d.]+) log records/s wall"));
    }

    private void jmh(Build build) throws Exception {
        Path result = scratch.resolve("jmh-" + build.label() + ".json");
        List<String> args = new ArrayList<>(JMH_SET);
        java(build, List.of("-Dbench.result=" + result), "dev.mos.bench.BenchMain", args.toArray(String[]::new));
        for (JsonNode run : JsonMapper.builder().build().readTree(result.toFile())) {
            StringBuilder id = new StringBuilder("jmh." + run.path("benchmark").asString().replace("dev.mos.bench.", ""));
            run.path("params").properties().forEach(p -> id.append('[').append(p.getKey()).append('=')
                    .append(p.getValue().asString()).append(']'));
            JsonNode metric = run.path("primaryMetric");
            List<Double> raw = new ArrayList<>();
            metric.path("rawData").forEach(fork -> fork.forEach(v -> raw.add(v.asDouble())));
            String mode = run.path("mode").asString();
            record(id.toString(), metric.path("scoreUnit").asString(), "thrpt".equals(mode), build, median(raw));
        }
    }

    private static String java(Build build, List<String> jvmArgs, String main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of("-Xms1g", "-Xmx1g", "-cp", build.classpath()));
        command.addAll(jvmArgs);
        command.add(main);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(build.dir().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(build.label() + ": " + main + " failed:\n" + out);
        }
        return out;
    }

    // ---- bookkeeping and the report ---------------------------------------------------------------------------

    private void record(String id, String unit, boolean higherIsBetter, Build build, double value) {
        figures.putIfAbsent(id, new Figure(id, unit, higherIsBetter));
        samples.computeIfAbsent(id, k -> new LinkedHashMap<>()).computeIfAbsent(build.label(), k -> new ArrayList<>())
                .add(value);
    }

    private boolean print(Build now, Build base, Map<String, Double> committed) {
        boolean flagged = false;
        String header = String.format(Locale.ROOT, "%-48s %-10s %12s %12s %12s %9s %9s", "figure", "unit",
                "committed", base == null ? "-" : base.label(), "now", "now/base", "now/comm.");
        System.out.println(header);
        for (Figure figure : figures.values()) {
            Double nowValue = median(samples.get(figure.id()).get(now.label()));
            Double baseValue = base == null ? null : median(samples.get(figure.id()).get(base.label()));
            Double committedValue = committed.get(figure.id());
            Double vsBase = ratio(nowValue, baseValue);
            boolean worse = vsBase != null && (figure.higherIsBetter() ? vsBase < FLAG : vsBase > 1 / FLAG);
            flagged |= worse;
            System.out.printf(Locale.ROOT, "%-48s %-10s %12s %12s %12s %9s %9s%s%n", figure.id(), figure.unit(),
                    fmt(committedValue), fmt(baseValue), fmt(nowValue), fmtRatio(vsBase),
                    fmtRatio(ratio(nowValue, committedValue)), worse ? "  << worse than the baseline" : "");
        }
        System.out.println("(medians; ratios are now/other, so for ms and ns/op lower is better)");
        return flagged;
    }

    /** The figures of the "Regression guard" table: rows {@code | `id` | value | unit | ... |}. */
    static Map<String, Double> committed(String markdown) {
        Map<String, Double> out = new LinkedHashMap<>();
        int start = markdown.indexOf("## Regression guard");
        if (start < 0) {
            return out;
        }
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\| ([\\d,.]+) \\|").matcher(markdown.substring(start));
        while (row.find()) {
            out.putIfAbsent(row.group(1), Double.parseDouble(row.group(2).replace(",", "")));
        }
        return out;
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    private static Double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no match for " + regex + " in:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String fmt(Double value) {
        if (value == null) {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String fmtRatio(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2fx", value);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(args[i], flag ? "" : args[++i]);
        }
        return options;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
