package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A hostile-input corpus through the real endpoints of the packaged server (default store, default limits, the
 * tests' 512 MB heap): mutants of the real Claude Code capture (the fuzzers' seed corpora), wrong-typed and
 * oversized field values, nesting and compression bombs, broken protobuf. The contract on every answer: no 5xx and
 * no stack trace or class name; between the hostile requests canary events are sent, and every canary and every
 * accepted hostile event is stored; the server stays up without running out of memory.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileInputIT {

    private static final Path CORPORA = Path.of("src", "test", "resources", "dev", "mos", "fuzz");
    /** What an answer must not carry: a stack frame, an exception's class or a package-qualified class name. */
    private static final Pattern LEAK = Pattern.compile(
            "\\tat |Exception|\\b(?:java|javax|jakarta|sun|tools\\.jackson|com\\.google|org\\.eclipse|dev\\.mos)\\.[a-z]");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CANARY_EVERY = 20;

    private static MosProcess mos;

    private final Random random = new Random(15);
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    /** Each test's own canary session (JUnit makes an instance per test). */
    private final String canarySession = "hostile-canary-" + UUID.randomUUID();
    private int sent;
    private int canaries;

    @BeforeAll
    static void start() throws Exception {
        mos = MosProcess.serve(Map.of());
    }

    @AfterAll
    static void stop() {
        mos.close();
    }

    @Test
    void mutatedHookPayloadsAreAnsweredCleanlyAndLoseNothing() throws Exception {
        for (byte[] seed : seeds("HookMapperFuzzTestInputs/hookPayload")) {
            for (byte[] mutant : mutants(seed)) {
                send("/hooks", "application/json", null, mutant, "hook mutant");
            }
        }
        assertClean();
    }

    @Test
    void everyFieldOfARealHookPayloadTakesHostileValuesAndWhatIsAcceptedIsStored() throws Exception {
        String session = "hostile-fields";
        int accepted = 0;
        for (String name : List.of("capture-01-UserPromptSubmit.json", "capture-02-PreToolUse.json",
                "capture-03-SubagentStart.json", "capture-22-PostToolUseFailure.json", "capture-32-PostToolUse.json")) {
            ObjectNode seed = (ObjectNode) Http.JSON.readTree(
                    CORPORA.resolve("HookMapperFuzzTestInputs/hookPayload").resolve(name).toFile());
            List<String> keys = new ArrayList<>(seed.propertyNames());
            keys.remove("session_id");
            for (String key : keys) {
                for (String value : hostileValues()) {
                    ObjectNode payload = seed.deepCopy();
                    payload.put("session_id", session);
                    String body = Http.JSON.writeValueAsString(payload);
                    String marker = "\"" + key + "\":" + Http.JSON.writeValueAsString(payload.get(key));
                    assertThat(body).contains(marker);
                    body = body.replace(marker, "\"" + key + "\":" + value);
                    int status = send("/hooks", "application/json", null, body.getBytes(StandardCharsets.UTF_8),
                            name + " with " + key + "=" + excerpt(value));
                    if (status == 200) {
                        accepted++;
                    }
                }
            }
        }
        assertClean();
        assertThat(accepted).as("some hostile values are data, not errors").isGreaterThan(50);
        assertThat(eventCount(session)).as("every accepted hook payload is stored").isEqualTo(accepted);
    }

    @Test
    void mutatedOtlpJsonAndProtobufOnAllThreeSignalsAreAnsweredCleanly() throws Exception {
        for (Path file : files("OtlpJsonFuzzTestInputs/request")) {
            for (byte[] mutant : mutants(Files.readAllBytes(file))) {
                send(signal(file), "application/json", null, mutant, "OTLP JSON mutant of " + file.getFileName());
            }
        }
        for (Path file : files("OtlpProtoFuzzTestInputs/request")) {
            byte[] seed = Files.readAllBytes(file);
            for (byte[] mutant : protobufMutants(seed)) {
                send(signal(file), "application/x-protobuf", null, mutant, "OTLP protobuf mutant of "
                        + file.getFileName());
            }
            // the right bytes under the wrong signal
            for (String other : List.of("/v1/logs", "/v1/metrics", "/v1/traces")) {
                send(other, "application/x-protobuf", null, seed, file.getFileName() + " sent to " + other);
            }
        }
        for (String path : List.of("/v1/logs", "/v1/metrics", "/v1/traces")) {
            send(path, "application/x-protobuf", null, nestedMessage(5_000), "protobuf nested 5000 deep to " + path);
            send(path, "application/x-protobuf", null, new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, 0x07, 1, 2, 3}, "protobuf length beyond the body to " + path);
            send(path, "application/json", "gzip", "{\"resourceLogs\": []}".getBytes(StandardCharsets.UTF_8),
                    "gzip declared, plain body to " + path);
        }
        assertClean();
    }

    @Test
    void mutatedLogEventCallsOverMcpAreAnsweredCleanly() throws Exception {
        for (byte[] seed : seeds("EventDecoderFuzzTestInputs/event")) {
            for (byte[] mutant : mutants(seed)) {
                String event = new String(mutant, StandardCharsets.UTF_8);
                send("/mcp", "application/json", null, ("{\"method\": \"log_event\", \"params\": {\"event\": "
                        + event + "}}").getBytes(StandardCharsets.UTF_8), "log_event with a mutant event");
                send("/mcp", "application/json", null, ("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"tools/call\","
                        + " \"params\": {\"name\": \"log_event\", \"arguments\": {\"event\": " + event + "}}}")
                        .getBytes(StandardCharsets.UTF_8), "JSON-RPC tools/call without a session");
            }
        }
        assertClean();
    }

    @Test
    void bombsAndOversizedBodiesAreRefusedWithinABoundedHeap() throws Exception {
        byte[] zeros = new byte[64 * 1024 * 1024];
        assertThat(send("/v1/logs", "application/json", "gzip", gzip(zeros), "gzip bomb of 64 MB")).isEqualTo(413);
        assertThat(send("/v1/traces", "application/x-protobuf", "gzip", gzip(zeros), "protobuf gzip bomb of 64 MB"))
                .isEqualTo(413);
        byte[] oversized = ("{\"session_id\": \"big\", \"hook_event_name\": \"Stop\", \"x\": \""
                + "a".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("/hooks", "/mcp", "/v1/logs")) {
            int status = send(path, "application/json", null, oversized, "5 MB body to " + path);
            assertThat(status).as("5 MB body to %s: %s", path, problems).isEqualTo(413);
        }
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        send("/hooks", "application/json", null, deep.getBytes(StandardCharsets.UTF_8), "JSON nested 200000 deep");
        send("/mcp", "application/json", null, ("{\"method\": \"log_event\", \"params\": {\"event\": " + deep + "}}")
                .getBytes(StandardCharsets.UTF_8), "log_event nested 200000 deep");

        // 16 bodies of nearly the limit at once, each a hook payload whose strings the capture cuts
        String session = "hostile-big";
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] body = ("{\"session_id\": \"" + session + "\", \"hook_event_name\": \"PostToolUse\","
                        + " \"tool_name\": \"Bash\", \"tool_use_id\": \"toolu_big" + i + "\", \"tool_response\": {"
                        + "\"stdout\": \"" + "y".repeat(3_900_000) + "\"}}").getBytes(StandardCharsets.UTF_8);
                answers.add(pool.submit(() -> send("/hooks", "application/json", null, body, "3.9 MB hook payload")));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(2, TimeUnit.MINUTES)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertClean();
        assertThat(eventCount(session)).isEqualTo(16);
        assertThat(mos.stderrText()).doesNotContain("OutOfMemoryError");
    }

    // --- the corpus ---------------------------------------------------------------------------------------------

    private static List<Path> files(String corpus) throws IOException {
        try (Stream<Path> files = Files.list(CORPORA.resolve(corpus))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<byte[]> seeds(String corpus) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (Path file : files(corpus)) {
            seeds.add(Files.readAllBytes(file));
        }
        return seeds;
    }

    private static String signal(Path file) {
        String name = file.getFileName().toString();
        return name.contains("-metrics") ? "/v1/metrics" : name.contains("-traces.") ? "/v1/traces" : "/v1/logs";
    }

    /** Byte- and text-level mutants of one seed, deterministic for the test's seed. */
    private List<byte[]> mutants(byte[] seed) {
        List<byte[]> out = new ArrayList<>();
        out.add(Arrays.copyOf(seed, random.nextInt(Math.max(1, seed.length))));
        for (int flips : new int[] {1, 4, 16}) {
            byte[] b = seed.clone();
            for (int i = 0; i < flips && b.length > 0; i++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            out.add(b);
        }
        out.add(insert(seed, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE}));
        out.add(insert(seed, "\\u0000\\ud800\\u001b[2J".getBytes(StandardCharsets.UTF_8)));
        out.add(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, seed));
        out.add(concat("[".getBytes(StandardCharsets.UTF_8), concat(seed, ",".repeat(3).getBytes(StandardCharsets.UTF_8))));
        String text = new String(seed, StandardCharsets.UTF_8);
        out.add(text.replaceFirst("\"([a-z_.]+)\"\\s*:", "\"$1\": 1e999, \"$1\":").getBytes(StandardCharsets.UTF_8));
        out.add(text.replaceAll("\"[0-9]+\"", "\"-99999999999999999999999\"").replaceAll("\\b[0-9]{2,}\\b",
                "18446744073709551616").getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private List<byte[]> protobufMutants(byte[] seed) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(Arrays.copyOf(seed, random.nextInt(Math.max(1, seed.length))));
        }
        for (int flips : new int[] {1, 2, 8, 32}) {
            byte[] b = seed.clone();
            for (int i = 0; i < flips && b.length > 0; i++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            out.add(b);
        }
        byte[] noise = new byte[1024];
        random.nextBytes(noise);
        out.add(noise);
        out.add(concat(seed, seed));
        return out;
    }

    /** Field values a hook payload should never carry, as JSON text. */
    private static List<String> hostileValues() {
        return List.of("null", "true", "-0", "1e999", "9223372036854775808", "-9223372036854775809",
                "\"\\u0000\\u0007\\u001b[31mred\"", "\"\\ud800 lone surrogate\"", "[]", "{}",
                "{\"a\": {\"b\": {\"c\": [1, [2, [3]]]}}}", "\"" + "x".repeat(300_000) + "\"",
                "[".repeat(400) + "]".repeat(400), "\"../../../../etc/passwd\"", "\"<script>alert(1)</script>\"",
                "\"' OR 1=1; DROP TABLE events; --\"", "\"${jndi:ldap://127.0.0.1/x}\"");
    }

    private byte[] insert(byte[] seed, byte[] what) {
        int at = seed.length == 0 ? 0 : random.nextInt(seed.length);
        return concat(concat(Arrays.copyOf(seed, at), what),
                Arrays.copyOfRange(seed, at, seed.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Field 1 (resource_logs / resource_metrics / resource_spans) holding itself {@code depth} times. */
    private static byte[] nestedMessage(int depth) {
        byte[] inner = new byte[0];
        for (int i = 0; i < depth; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x0A);
            int len = inner.length;
            while (len >= 0x80) {
                out.write((len & 0x7F) | 0x80);
                len >>>= 7;
            }
            out.write(len);
            out.writeBytes(inner);
            inner = out.toByteArray();
        }
        return inner;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static String excerpt(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "… (" + value.length() + " chars)";
    }

    // --- sending and checking -----------------------------------------------------------------------------------

    /** Sends one hostile request, notes any 5xx or leak, and sends a canary every {@link #CANARY_EVERY}. */
    private int send(String path, String contentType, String encoding, byte[] body, String what) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mos.baseUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        HttpResponse<byte[]> r;
        try {
            r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            problems.add(what + " -> no answer: " + e);
            return -1;
        }
        String answer = new String(r.body(), StandardCharsets.ISO_8859_1);
        if (r.statusCode() >= 500) {
            problems.add(what + " -> " + r.statusCode() + " " + excerpt(answer));
        } else if (LEAK.matcher(answer).find()) {
            problems.add(what + " -> " + r.statusCode() + " leaks: " + excerpt(answer));
        }
        boolean canaryDue;
        synchronized (this) {
            canaryDue = ++sent % CANARY_EVERY == 0;
        }
        if (canaryDue) {
            sendCanary();
        }
        return r.statusCode();
    }

    /** A valid event between the hostile ones: whatever came before, it must be accepted and kept. */
    private void sendCanary() throws Exception {
        int n;
        synchronized (this) {
            n = canaries++;
        }
        Http.Response r = Http.post(mos.baseUrl() + "/hooks", "{\"session_id\": \"" + canarySession
                + "\", \"hook_event_name\": \"UserPromptSubmit\", \"prompt\": \"canary " + n + "\"}");
        if (r.status() != 200) {
            problems.add("canary " + n + " -> " + r.status() + " " + excerpt(r.body()));
        }
    }

    /** Checks the answers, the canaries and health after a test's corpus. */
    private void assertClean() throws Exception {
        sendCanary();
        assertThat(problems).as("answers to %d hostile requests", sent).isEmpty();
        assertThat(eventCount(canarySession)).as("canaries stored").isEqualTo(canaries);
        // still live and ready (what the probes ask); /health itself may say critical: refused calls count
        // toward its error rate, as the seed's maxErrorRate does
        assertThat(Http.get(mos.baseUrl() + "/health/live").status()).isEqualTo(200);
        assertThat(Http.get(mos.baseUrl() + "/health/ready").status()).isEqualTo(200);
    }

    private static long eventCount(String session) throws Exception {
        Http.Response r = Http.get(mos.baseUrl() + "/api/v1/sessions/" + session);
        assertThat(r.status()).as("session %s: %s", session, r.body()).isEqualTo(200);
        JsonNode json = r.json();
        return (json.has("event_count") ? json : json.path("session")).path("event_count").asLong();
    }
}
