package dev.mos.bench;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load driver for OTLP log ingestion ({@code POST /v1/logs}) against a running server: batches of Claude Code log
 * events shaped like 2.1.332's (user_prompt, api_request, tool_decision, tool_result with tool input and
 * parameters, assistant_response; resource attributes; 16 sessions), sent as OTLP protobuf or OTLP JSON (made with
 * the protobuf library's JSON printer rules: int64 as strings, hex ids), with a fixed number of requests in flight.
 * Prints log records accepted per second for each measured run and their median. With {@code write} it only writes
 * one batch of each encoding to {@code bench/otlp-logs-1000.pb|json} for {@code bench/otlp_logs.lua} (wrk), which
 * is what PERFORMANCE.md reports: this JDK-HttpClient driver itself was slow with protobuf bodies on the loaded
 * machine (about 1 request/s where curl and wrk saw 50/s), so its own figures are not used.
 *
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" dev.mos.bench.OtlpLoadDriver write
 * java -cp ... dev.mos.bench.OtlpLoadDriver http://127.0.0.1:3933 protobuf|json [runs=5] [secondsPerRun=5]
 *     [inFlight=4] [batch=1000]</pre>
 */
public final class OtlpLoadDriver {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("write")) {
            // bodies for wrk (bench/otlp_logs.lua): the first batch of each encoding
            java.nio.file.Files.write(java.nio.file.Path.of("bench/otlp-logs-1000.pb"), bodies(true, 1000)[0]);
            java.nio.file.Files.write(java.nio.file.Path.of("bench/otlp-logs-1000.json"), bodies(false, 1000)[0]);
            System.out.println("wrote bench/otlp-logs-1000.pb and bench/otlp-logs-1000.json");
            return;
        }
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:3000";
        boolean protobuf = args.length <= 1 || args[1].startsWith("proto");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int inFlight = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 1000;

        List<byte[]> bodies = List.of(bodies(protobuf, batch));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(base + "/v1/logs");
        String type = protobuf ? "application/x-protobuf" : "application/json";
        System.out.printf(Locale.ROOT, "OTLP %s logs: batches of %d records (%d bytes), %d in flight%n",
                protobuf ? "protobuf" : "JSON", batch, bodies.getFirst().length, inFlight);

        run(client, uri, type, bodies, seconds, inFlight); // warm-up
        double[] rates = new double[runs];
        for (int i = 0; i < runs; i++) {
            rates[i] = run(client, uri, type, bodies, seconds, inFlight) * batch;
            System.out.printf(Locale.ROOT, "run %d: %.0f log records/s%n", i + 1, rates[i]);
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "median: %.0f log records/s%n", rates[runs / 2]);
    }

    /** Eight distinct batches (other sessions, ids and times), encoded as asked. */
    static byte[][] bodies(boolean protobuf, int batch) {
        byte[][] out = new byte[8][];
        for (int variant = 0; variant < out.length; variant++) {
            ExportLogsServiceRequest request = batch(variant, batch);
            out[variant] = protobuf ? request.toByteArray() : json(request).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Requests per second over {@code seconds}, {@code inFlight} at a time. */
    private static double run(HttpClient client, URI uri, String type, List<byte[]> bodies, int seconds,
            int inFlight) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong done = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long n = 0;
        while (System.nanoTime() < end && failure.get() == null) {
            slots.acquire();
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get((int) (n++ % bodies.size())))).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e.toString());
                } else if (r.statusCode() != 200 || r.body().length > 2 && type.endsWith("json")) {
                    failure.compareAndSet(null, "HTTP " + r.statusCode() + ": "
                            + new String(r.body(), StandardCharsets.UTF_8));
                } else {
                    done.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(inFlight);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return done.get() / elapsed;
    }

    private static ExportLogsServiceRequest batch(int variant, int size) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder()
                .setName("com.anthropic.claude_code.events").setVersion("2.1.332"));
        long t = 1_795_618_593_000_000_000L + variant * 1_000_000_000_000L;
        for (int i = 0; i < size; i++) {
            String session = "load-" + variant + "-" + (i % 16);
            String prompt = "prompt-" + variant + "-" + (i % 16) + "-" + (i / 160);
            String toolUse = "toolu_" + variant + "_" + i;
            String request = "req_" + variant + "_" + i;
            LogRecord.Builder r = LogRecord.newBuilder().setTimeUnixNano(t + i * 1_000_000L)
                    .setObservedTimeUnixNano(t + i * 1_000_000L)
                    .addAttributes(kv("user.id", "22c049153d611ad32a6c0a710f8ba9deea35c2e8894d3b4e2f1630afd175f091"))
                    .addAttributes(kv("session.id", session)).addAttributes(kv("terminal.type", "xterm"))
                    .addAttributes(kv("event.timestamp", "2026-11-25T14:56:33.713Z"))
                    .addAttributes(kv("event.sequence", i)).addAttributes(kv("prompt.id", prompt));
            String event = switch (i % 5) {
                case 0 -> {
                    r.addAttributes(kv("model", "claude-opus-5-5")).addAttributes(kv("input_tokens", 120))
                            .addAttributes(kv("output_tokens", 30)).addAttributes(kv("cache_read_tokens", 0))
                            .addAttributes(kv("cache_creation_tokens", 0)).addAttributes(dkv("cost_usd", 0.00108))
                            .addAttributes(kv("duration_ms", 25)).addAttributes(kv("ttft_ms", 13))
                            .addAttributes(kv("request_id", request)).addAttributes(kv("query_source", "sdk"))
                            .addAttributes(kv("effort", "medium"));
                    yield "api_request";
                }
                case 1 -> {
                    r.addAttributes(kv("decision", "accept")).addAttributes(kv("source", "config"))
                            .addAttributes(kv("tool_name", "Bash")).addAttributes(kv("tool_use_id", toolUse))
                            .addAttributes(kv("tool_parameters", "{\"bash_command\":\"ls\",\"full_command\":"
                                    + "\"ls -la src/dir" + variant + "_" + i + "\",\"description\":\"List files\"}"));
                    yield "tool_decision";
                }
                case 2 -> {
                    r.addAttributes(kv("tool_name", "Bash")).addAttributes(kv("tool_use_id", "toolu_" + variant
                            + "_" + (i - 1))).addAttributes(kv("success", "true")).addAttributes(kv("duration_ms",
                            "23")).addAttributes(kv("tool_parameters", "{\"bash_command\":\"ls\",\"full_command\":"
                            + "\"ls -la src/dir" + variant + "_" + (i - 1) + "\",\"description\":\"List files\"}"))
                            .addAttributes(kv("tool_input", "{\"command\":\"ls -la src/dir" + variant + "_" + (i - 1)
                                    + "\",\"description\":\"List files\"}")).addAttributes(kv("tool_result_size_bytes", "96"))
                            .addAttributes(kv("request_id", request));
                    yield "tool_result";
                }
                case 3 -> {
                    r.addAttributes(kv("response_length", 35)).addAttributes(kv("response", "<REDACTED>"))
                            .addAttributes(kv("request_id", request)).addAttributes(kv("model", "claude-opus-5-5"));
                    yield "assistant_response";
                }
                default -> {
                    r.addAttributes(kv("prompt_length", "27")).addAttributes(kv("prompt", "<REDACTED>"));
                    yield "user_prompt";
                }
            };
            r.addAttributes(kv("event.name", event))
                    .setBody(AnyValue.newBuilder().setStringValue("claude_code." + event));
            scope.addLogRecords(r);
        }
        Resource resource = Resource.newBuilder().addAttributes(kv("service.name", "claude-code"))
                .addAttributes(kv("service.version", "2.1.332")).addAttributes(kv("os.type", "linux"))
                .addAttributes(kv("host.arch", "amd64")).build();
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource)
                .addScopeLogs(scope)).build();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static KeyValue dkv(String key, double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }

    /** OTLP JSON as Claude Code's exporter writes it: camelCase names, int64 as strings. */
    private static String json(ExportLogsServiceRequest request) {
        StringBuilder sb = new StringBuilder(1 << 20);
        sb.append("{\"resourceLogs\":[");
        ResourceLogs rl = request.getResourceLogs(0);
        sb.append("{\"resource\":{\"attributes\":");
        attributes(sb, rl.getResource().getAttributesList());
        sb.append("},\"scopeLogs\":[{\"scope\":{\"name\":\"com.anthropic.claude_code.events\",\"version\":"
                + "\"2.1.332\"},\"logRecords\":[");
        List<LogRecord> records = rl.getScopeLogs(0).getLogRecordsList();
        for (int i = 0; i < records.size(); i++) {
            LogRecord r = records.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"timeUnixNano\":\"").append(r.getTimeUnixNano()).append("\",\"observedTimeUnixNano\":\"")
                    .append(r.getObservedTimeUnixNano()).append("\",\"body\":{\"stringValue\":\"")
                    .append(r.getBody().getStringValue()).append("\"},\"attributes\":");
            attributes(sb, r.getAttributesList());
            sb.append(",\"droppedAttributesCount\":0}");
        }
        sb.append("]}]}]}");
        return sb.toString();
    }

    private static void attributes(StringBuilder sb, List<KeyValue> list) {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
            KeyValue kv = list.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"key\":\"").append(kv.getKey()).append("\",\"value\":{");
            AnyValue v = kv.getValue();
            switch (v.getValueCase()) {
                case INT_VALUE -> sb.append("\"intValue\":").append(v.getIntValue());
                case DOUBLE_VALUE -> sb.append("\"doubleValue\":").append(v.getDoubleValue());
                default -> sb.append("\"stringValue\":\"").append(v.getStringValue().replace("\\", "\\\\")
                        .replace("\"", "\\\"")).append('"');
            }
            sb.append("}}");
        }
        sb.append(']');
    }
}
