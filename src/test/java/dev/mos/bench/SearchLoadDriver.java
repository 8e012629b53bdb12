package dev.mos.bench;

import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.SessionStore;
import dev.mos.store.StoreLimits;
import dev.mos.store.jdbc.Database;
import dev.mos.store.jdbc.JdbcSessionStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Search over a big store, as a user queries it: {@code fill:<dir> N} writes N events into the SQLite store of a
 * data dir (sessions of 1,000 events: prompts, tool calls with Bash commands, file paths and patterns, errors;
 * rare words planted at known places), then a server started on that dir ({@code MCP_DATA_DIR=<dir> ./mos serve})
 * indexes them in the background; {@code query <base> [runs]} waits until the newest event is findable (the
 * catch-up time), then asks {@code GET /api/v1/search} a mix of queries one at a time and prints each kind's
 * median and p95 round trip.
 *
 * <pre>java -cp "target/test-classes:$(cat target/cp.txt)" dev.mos.bench.SearchLoadDriver fill:/tmp/big 1000000
 * MCP_DATA_DIR=/tmp/big ./mos serve --port 3979 &amp;
 * java -cp ... dev.mos.bench.SearchLoadDriver query http://127.0.0.1:3979 50</pre>
 */
public final class SearchLoadDriver {

    static final int EVENTS_PER_SESSION = 1_000;
    private static final String[] COMMANDS = {"npm run test", "npm run build", "make build-all", "git status",
        "grep -r TODO src", "mvn -q verify", "ls -la", "cargo test --release", "pytest -x tests", "docker ps"};
    private static final String[] FILES = {"src/main/App.java", "src/checkout/Cart.ts", "README.md", "pom.xml",
        "lib/payment/gateway.rb", "docs/DEPLOYMENT.md", "tests/test_orders.py", "web/index.html"};
    private static final String[] ERRORS = {"Exit code 1: tests failed", "No rule to make target",
        "TimeoutError: payment iframe never loaded", "permission denied", "ENOENT: no such file"};

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("fill:")) {
            fill(Path.of(args[0].substring(5)), args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
        } else if (args.length > 1 && args[0].equals("query")) {
            query(args[1], args.length > 2 ? Integer.parseInt(args[2]) : 50);
        } else {
            System.err.println("usage: SearchLoadDriver fill:<data dir> [events] | query <base url> [runs]");
            System.exit(2);
        }
    }

    private static void fill(Path dir, int events) {
        Random random = new Random(42);
        long t0 = System.currentTimeMillis() - 7L * 24 * 3600 * 1000;
        long started = System.nanoTime();
        try (SessionStore store = new JdbcSessionStore(Database.sqlite(dir), new StoreLimits(EVENTS_PER_SESSION,
                1L << 40), Clock.systemUTC())) {
            List<NewEvent> batch = new ArrayList<>(EVENTS_PER_SESSION);
            int sessions = (events + EVENTS_PER_SESSION - 1) / EVENTS_PER_SESSION;
            for (int s = 0; s < sessions; s++) {
                String session = "big-" + s;
                long at = t0 + s * 600_000L;
                int inSession = Math.min(EVENTS_PER_SESSION, events - s * EVENTS_PER_SESSION);
                String task = null;
                int calls = 0;
                while (batch.size() < inSession) {
                    if (calls++ % 49 == 0) {
                        if (task != null) {
                            batch.add(new NewEvent(session, EventType.TASK_COMPLETE, EventStatus.SUCCESS, at++, null,
                                    null, task, null, null, null, null));
                        }
                        task = "prompt-" + calls;
                        boolean last = s == sessions - 1 && batch.size() + 102 >= inSession;
                        String ticket = last ? "omegaterminus" : s == sessions / 2 && calls == 1 ? "zanzibarquux"
                                : "T" + random.nextInt(100_000);
                        String prompt = "Fix the " + FILES[random.nextInt(FILES.length)] + " build, ticket " + ticket;
                        batch.add(new NewEvent(session, EventType.TASK_STARTED, EventStatus.STARTED, at++, null,
                                null, task, prompt, null, json(Map.of("prompt", prompt)), null));
                    }
                    String id = "toolu_" + s + "_" + calls;
                    boolean bash = random.nextBoolean();
                    String input = bash ? json(Map.of("command", COMMANDS[random.nextInt(COMMANDS.length)]))
                            : json(Map.of("file_path", FILES[random.nextInt(FILES.length)]));
                    batch.add(new NewEvent(session, EventType.TOOL_PRE_CALL, EventStatus.STARTED, at++, null, task,
                            id, bash ? "Bash" : "Read", null, json(Map.of("tool_input", input)), null));
                    if (random.nextInt(20) == 0) {
                        batch.add(new NewEvent(session, EventType.TOOL_ERROR, EventStatus.ERROR, at++, 40L, null, id,
                                bash ? "Bash" : "Read", null, json(Map.of("error",
                                        ERRORS[random.nextInt(ERRORS.length)])), null));
                    } else {
                        batch.add(new NewEvent(session, EventType.TOOL_POST_CALL, EventStatus.SUCCESS, at++, 12L,
                                null, id, bash ? "Bash" : "Read", null, json(Map.of("tool_response",
                                        "ok " + random.nextInt(1_000_000))), null));
                    }
                }
                store.appendAll(batch.size() > inSession ? batch.subList(0, inSession) : batch);
                batch.clear();
            }
        }
        System.out.printf(Locale.ROOT, "filled %s with %,d events in %.0f s%n", dir.resolve("mos.db"), events,
                (System.nanoTime() - started) / 1e9);
    }

    private static String json(Map<String, String> values) {
        StringBuilder out = new StringBuilder("{");
        values.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        return out.append('}').toString();
    }

    private static void query(String base, int runs) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long waitStart = System.nanoTime();
        // the last session's last prompt names a ticket of its own: once it is found, the index caught up
        while (!get(http, base, "q=omegaterminus").contains("\"operation_id\"")) {
            Thread.sleep(500);
        }
        System.out.printf(Locale.ROOT, "index answered after %.1f s of waiting%n",
                (System.nanoTime() - waitStart) / 1e9);
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("rare word (1 hit)", "q=zanzibarquux");
        queries.put("common word, 20 hits", "q=build");
        queries.put("two common words", "q=payment+iframe");
        queries.put("word prefix", "q=gatew");
        queries.put("common word, status=error", "q=build&status=error");
        queries.put("common word, tool=Read", "q=checkout&tool=Read");
        queries.put("common word, 200 hits", "q=test&limit=200");
        queries.put("no hit", "q=nowhereatall");
        queries.put("common word, subagent=main", "q=build&subagent=main");
        queries.put("filter matching none (20 pages)", "q=ok&subagent=Explore");
        for (int warm = 0; warm < 5; warm++) {
            for (String q : queries.values()) {
                get(http, base, q);
            }
        }
        Map<String, double[]> times = new LinkedHashMap<>();
        queries.keySet().forEach(k -> times.put(k, new double[runs]));
        for (int r = 0; r < runs; r++) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                long t = System.nanoTime();
                get(http, base, q.getValue());
                times.get(q.getKey())[r] = (System.nanoTime() - t) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "%-34s %10s %10s%n", "query", "p50 ms", "p95 ms");
        times.forEach((name, t) -> {
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f%n", name, t[t.length / 2],
                    t[(int) Math.min(t.length - 1, Math.ceil(t.length * 0.95) - 1)]);
        });
    }

    private static String get(HttpClient http, String base, String query) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/search?" + query)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("search " + query + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
