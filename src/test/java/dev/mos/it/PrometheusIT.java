package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mos.pg.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shipped rules, their promtool tests, the example scrape config and the dashboard against a real Prometheus
 * (Debian's prometheus package, installed by ./run-tests) scraping the packaged MOS with a bearer token. MOS runs
 * with the smallest memory limit, so /health is critical and MosUnhealthy and MosMemoryHigh really trigger.
 */
class PrometheusIT {

    private static final String TOKEN = "prom-it-token-7f3a";

    @TempDir
    static Path tmp;
    private static MosProcess mos;
    /** A second server, on PostgreSQL, whose database the store test stops. */
    private static MosProcess pgMos;
    private static PostgresServer pg;
    private static Process prometheus;
    private static String promUrl;

    static Path binary(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(name + " is not installed: apt-get install -y prometheus (./run-tests does)");
    }

    /** Runs a command to its end; returns exit code and output. */
    private static Map.Entry<Integer, String> run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return Map.entry(p.exitValue(), out);
    }

    @BeforeAll
    static void startMosAndPrometheus() throws Exception {
        mos = MosProcess.serve(Map.of("MCP_MAX_MEMORY_MB", "16", "MCP_AUTH_TOKEN", TOKEN));
        // /metrics needs the token when MOS has one: the example config's authorization block is not optional
        assertThat(Http.get(mos.baseUrl() + "/metrics").status()).isEqualTo(401);
        assertThat(Http.get(mos.baseUrl() + "/metrics", "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);

        pg = PostgresServer.startPrivate();
        pgMos = MosProcess.serve(Map.of("MCP_STORE", "postgres", "MCP_DATABASE_URL", pg.url(pg.createDatabase()),
                "MCP_AUTH_TOKEN", TOKEN));

        Path tokenFile = tmp.resolve("mos-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, MonitoringFiles.YAML.writeValueAsString(testConfig(tokenFile, mos.port(),
                pgMos.port())));
        Map.Entry<Integer, String> check = run(tmp, binary("promtool").toString(), "check", "config",
                config.toString());
        assertThat(check.getKey()).as(check.getValue()).isZero();

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        promUrl = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(binary("prometheus").toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .untilAsserted(() -> assertThat(Http.get(promUrl + "/-/ready").status()).isEqualTo(200));
    }

    /**
     * The example config, made runnable here: the same "mos" job (bearer token from a file) aimed at this MOS,
     * 1 s intervals, the rule file by absolute path. Debian builds Prometheus without Kubernetes service discovery,
     * so the kubernetes_sd_configs job is checked structurally instead ({@link #theKubernetesJobKeepsAnnotatedPods}).
     */
    static ObjectNode testConfig(Path tokenFile, int... mosPorts) throws IOException {
        ObjectNode example = (ObjectNode) MonitoringFiles.YAML.readTree(Files.readString(
                MonitoringFiles.PROMETHEUS_CONFIG));
        ObjectNode global = (ObjectNode) example.get("global");
        global.put("scrape_interval", "1s").put("evaluation_interval", "1s");
        example.putArray("rule_files").add(MonitoringFiles.RULES.toString());
        ArrayNode jobs = example.putArray("scrape_configs");
        for (JsonNode job : MonitoringFiles.YAML.readTree(Files.readString(MonitoringFiles.PROMETHEUS_CONFIG))
                .get("scrape_configs")) {
            if (job.get("job_name").asString().equals("mos")) {
                ObjectNode j = (ObjectNode) job;
                assertThat(j.path("authorization").path("type").asString()).isEqualTo("Bearer");
                ((ObjectNode) j.get("authorization")).put("credentials_file", tokenFile.toString());
                ArrayNode targets = ((ObjectNode) j.get("static_configs").get(0)).putArray("targets");
                for (int port : mosPorts) {
                    targets.add("127.0.0.1:" + port);
                }
                jobs.add(j);
            }
        }
        assertThat(jobs).hasSize(1);
        return example;
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (mos != null) {
            mos.close();
        }
        if (pgMos != null) {
            pgMos.close();
        }
    }

    private static String instance(MosProcess server) {
        return "127.0.0.1:" + server.port();
    }

    /** The series of an instant query's result that belong to one server. */
    private static List<JsonNode> of(JsonNode result, MosProcess server) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode series : result) {
            if (series.get("metric").path("instance").asString().equals(instance(server))) {
                out.add(series);
            }
        }
        return out;
    }

    private static JsonNode api(String pathAndQuery) throws Exception {
        Http.Response r = Http.get(promUrl + pathAndQuery);
        assertThat(r.status()).as(pathAndQuery + " -> " + r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("status").asString()).as(r.body()).isEqualTo("success");
        return body.get("data");
    }

    private static JsonNode query(String promql) throws Exception {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    private static String log() throws IOException {
        return Files.readString(tmp.resolve("prometheus.log"));
    }

    @Test
    void promtoolChecksTheRulesAndTheirUnitTestsPass() throws Exception {
        Path dir = MonitoringFiles.RULES.getParent();
        Map.Entry<Integer, String> check = run(dir, binary("promtool").toString(), "check", "rules",
                "mos-alerts.yml");
        assertThat(check.getKey()).as(check.getValue()).isZero();
        assertThat(check.getValue()).contains("SUCCESS: 6 rules found");
        Map.Entry<Integer, String> test = run(dir, binary("promtool").toString(), "test", "rules",
                "mos-alerts.test.yml");
        assertThat(test.getKey()).as(test.getValue()).isZero();
        assertThat(test.getValue()).contains("SUCCESS");
    }

    @Test
    void theUnitTestsWouldCatchAWrongThreshold() throws Exception {
        // The same tests against rules with a limit moved: promtool must fail, or the tests prove nothing.
        Path dir = Files.createDirectories(tmp.resolve("mutated"));
        Files.writeString(dir.resolve("mos-alerts.yml"), Files.readString(MonitoringFiles.RULES)
                .replace("mos_memory_used_bytes / mos_memory_limit_bytes > 0.8",
                        "mos_memory_used_bytes / mos_memory_limit_bytes > 0.9"));
        Files.copy(MonitoringFiles.RULE_TESTS, dir.resolve("mos-alerts.test.yml"));
        Map.Entry<Integer, String> test = run(dir, binary("promtool").toString(), "test", "rules",
                "mos-alerts.test.yml");
        assertThat(test.getKey()).as(test.getValue()).isNotZero();
        assertThat(test.getValue()).contains("MosMemoryHigh");
    }

    @Test
    void theKubernetesJobKeepsAnnotatedPods() throws Exception {
        JsonNode k8s = null;
        for (JsonNode job : MonitoringFiles.YAML.readTree(Files.readString(MonitoringFiles.PROMETHEUS_CONFIG))
                .get("scrape_configs")) {
            if (job.has("kubernetes_sd_configs")) {
                k8s = job;
            }
        }
        assertThat(k8s).as("a kubernetes_sd_configs job").isNotNull();
        assertThat(k8s.get("kubernetes_sd_configs").get(0).get("role").asString()).isEqualTo("pod");
        assertThat(k8s.path("authorization").path("type").asString()).isEqualTo("Bearer");
        List<String> keeps = new ArrayList<>();
        for (JsonNode relabel : k8s.get("relabel_configs")) {
            if (relabel.path("action").asString().equals("keep")) {
                keeps.add(relabel.get("source_labels").get(0).asString() + "=" + relabel.get("regex").asString());
            }
        }
        assertThat(keeps).containsExactly("__meta_kubernetes_pod_annotation_prometheus_io_scrape=true");
    }

    @Test
    void prometheusScrapesMosLoadsEveryRuleAndEvaluatesEveryExpression() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode targets = api("/api/v1/targets").get("activeTargets");
            assertThat(targets).hasSize(2);
            for (JsonNode target : targets) {
                assertThat(target.get("health").asString()).as(targets.toString() + "\n" + log()).isEqualTo("up");
            }
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode groups = api("/api/v1/rules").get("groups");
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).get("name").asString()).isEqualTo("mos");
            Set<String> names = new TreeSet<>();
            for (JsonNode rule : groups.get(0).get("rules")) {
                names.add(rule.get("name").asString());
                assertThat(rule.get("health").asString()).as(rule.toString()).isEqualTo("ok");
            }
            assertThat(names).containsExactlyInAnyOrder("MosMemoryHigh", "MosErrorRateHigh", "MosResponseTimeHigh",
                    "MosUnhealthy", "MosStoreNotReady", "MosStreamLag");
        });
        // Some traffic, so that the request series the dashboard reads exist.
        for (int i = 0; i < 3; i++) {
            Http.call(mos.baseUrl(), "list_sessions", "{}", "Authorization", "Bearer " + TOKEN);
        }
        for (Map.Entry<String, String> e : MonitoringFiles.alertExpressions().entrySet()) {
            query(e.getValue()); // status success, or the assertion in api() names the expression
        }
        for (Map.Entry<String, String> e : MonitoringFiles.dashboardExpressions().entrySet()) {
            JsonNode data = query(MonitoringFiles.withGrafanaVariables(e.getValue()));
            assertThat(data.get("resultType").asString()).as(e.getKey()).isEqualTo("vector");
        }
    }

    @Test
    void aServerOverItsMemoryLimitTriggersMosUnhealthyAndMosMemoryHigh() throws Exception {
        Map<String, String> alerts = MonitoringFiles.alertExpressions();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<JsonNode> unhealthy = of(query(alerts.get("MosUnhealthy")).get("result"), mos);
            assertThat(unhealthy).as("MosUnhealthy\n" + log()).hasSize(1);
            assertThat(unhealthy.get(0).get("metric").get("status").asString()).isEqualTo("critical");
            assertThat(of(query(alerts.get("MosMemoryHigh")).get("result"), mos)).hasSize(1);
            // the server with the default limit (512 MB) is not over 80 % of it
            assertThat(of(query(alerts.get("MosMemoryHigh")).get("result"), pgMos)).isEmpty();
            // the rules' own evaluation sees it too: pending (their for: is minutes) or already firing
            Set<String> active = new TreeSet<>();
            for (JsonNode alert : api("/api/v1/alerts").get("alerts")) {
                if (!alert.get("labels").get("instance").asString().equals(instance(mos))) {
                    continue;
                }
                active.add(alert.get("labels").get("alertname").asString() + ":"
                        + alert.get("labels").get("severity").asString());
                assertThat(alert.get("state").asString()).isIn("pending", "firing");
            }
            assertThat(active).contains("MosUnhealthy:critical", "MosMemoryHigh:warning");
        });
        // what the server says agrees
        JsonNode health = Http.get(mos.baseUrl() + "/health").json();
        assertThat(health.get("status").asString()).isEqualTo("critical");
        // and the conditions that do not hold stay silent
        assertThat(of(query(alerts.get("MosStoreNotReady")).get("result"), mos)).isEmpty();
        assertThat(of(query(alerts.get("MosStreamLag")).get("result"), mos)).isEmpty();
        assertThat(of(query(alerts.get("MosErrorRateHigh")).get("result"), mos)).isEmpty();
    }

    @Test
    void aDatabaseOutageTriggersMosStoreNotReadyWhileTheTargetStaysUp() throws Exception {
        Map<String, String> alerts = MonitoringFiles.alertExpressions();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(of(query("mos_store_ready").get("result"), pgMos)).singleElement()
                        .satisfies(s -> assertThat(s.get("value").get(1).asString()).isEqualTo("1")));
        assertThat(of(query(alerts.get("MosStoreNotReady")).get("result"), pgMos)).isEmpty();
        pg.stopNow();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(of(query(alerts.get("MosStoreNotReady")).get("result"), pgMos))
                        .as("MosStoreNotReady\n" + log()).hasSize(1);
                // the scrape still succeeds: the outage is a 0, not a missing target
                assertThat(of(query("up").get("result"), pgMos)).singleElement()
                        .satisfies(s -> assertThat(s.get("value").get(1).asString()).isEqualTo("1"));
                Set<String> active = new TreeSet<>();
                for (JsonNode alert : api("/api/v1/alerts").get("alerts")) {
                    if (alert.get("labels").get("instance").asString().equals(instance(pgMos))) {
                        active.add(alert.get("labels").get("alertname").asString() + ":"
                                + alert.get("labels").get("severity").asString());
                    }
                }
                assertThat(active).contains("MosStoreNotReady:critical", "MosUnhealthy:critical");
            });
            assertThat(Http.get(pgMos.baseUrl() + "/health/ready").status()).isEqualTo(503);
        } finally {
            pg.restart();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(of(query(alerts.get("MosStoreNotReady")).get("result"), pgMos)).isEmpty());
    }
}
