package dev.mos.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.config.ConfigLoader;
import dev.mos.config.ConfigOverrides;
import dev.mos.config.LoadedConfig;
import dev.mos.deploy.Manifests.Instruction;
import dev.mos.deploy.Manifests.Rendered;
import dev.mos.store.jdbc.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Dockerfile, docker-compose.yml and the Kubernetes overlays (rendered by a real kustomize) against what the
 * server really reads and serves: env var names, config keys, ports, probe paths, and the mounted production.json
 * loaded through the real ConfigLoader with each deployment's environment.
 */
class DeploymentManifestsTest {

    /** What HealthServlet serves (the ITs request the rendered probe paths from a live server too). */
    static final Set<String> PROBE_PATHS = Set.of("/health", "/health/live", "/health/ready");
    /** Variables the manifests may set although MOS does not read them (the bundled PostgreSQL's own). */
    static final Set<String> POSTGRES_IMAGE_VARS = Set.of("POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD",
            "PGDATA");

    static Path repo;
    static List<Instruction> dockerfile;
    static Map<String, String> dockerEnv;
    static Rendered singleNode;
    static Rendered ha;

    @BeforeAll
    static void read() throws Exception {
        repo = Manifests.repo();
        dockerfile = Manifests.dockerfile(repo.resolve("Dockerfile"));
        dockerEnv = Manifests.dockerEnv(dockerfile);
        singleNode = Manifests.renderOverlay("single-node");
        ha = Manifests.renderOverlay("ha");
    }

    // ---- Dockerfile ----

    @Test
    void dockerfileBuildsWithTheWrapperOnJdk21AndRunsOnJre21AsUser1001() {
        List<Instruction> froms = dockerfile.stream().filter(i -> i.keyword().equals("FROM")).toList();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0).args()).startsWith("eclipse-temurin:21-jdk").endsWith("AS build");
        assertThat(froms.get(1).args()).isEqualTo("eclipse-temurin:21-jre");
        assertThat(dockerfile).anyMatch(i -> i.keyword().equals("RUN")
                && i.args().contains("./mvnw -B -DskipTests package"));
        List<Instruction> runtime = Manifests.lastStage(dockerfile);
        assertThat(Manifests.one(runtime, "USER").args()).isEqualTo("1001:1001");
        assertThat(Manifests.one(runtime, "WORKDIR").args()).isEqualTo("/app");
        assertThat(Manifests.one(runtime, "VOLUME").args()).isEqualTo("/var/lib/mos");
        assertThat(Manifests.one(runtime, "EXPOSE").args()).isEqualTo(dockerEnv.get("MCP_PORT"));
        assertThat(Manifests.one(runtime, "STOPSIGNAL").args()).isEqualTo("SIGTERM");
        assertThat(runtime).anyMatch(i -> i.keyword().equals("COPY")
                && i.args().equals("--from=build /src/target/mos.jar /app/mos.jar"));
        assertThat(runtime).anyMatch(i -> i.keyword().equals("COPY")
                && i.args().equals("config/production.json /app/config/production.json"));
        assertThat(runtime).anyMatch(i -> i.keyword().equals("LABEL")
                && i.args().contains("org.opencontainers.image.title"));
    }

    @Test
    void imageVersionIsTheProjectVersionEverywhere() throws Exception {
        String version = Manifests.projectVersion();
        assertThat(Manifests.one(Manifests.lastStage(dockerfile), "ARG").args()).isEqualTo("VERSION=" + version);
        for (Rendered r : List.of(singleNode, ha)) {
            assertThat(container(r).path("image").asString()).isEqualTo("mos:" + version);
        }
    }

    @Test
    void dockerfileEntrypointIsExecFormJavaWithContainerAwareHeapAndServesOnAllInterfaces() {
        List<Instruction> runtime = Manifests.lastStage(dockerfile);
        List<String> entrypoint = Manifests.execForm(Manifests.one(runtime, "ENTRYPOINT").args());
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint).anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage="))
                .contains("-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp")
                .containsSequence("-jar", "/app/mos.jar");
        assertThat(Manifests.execForm(Manifests.one(runtime, "CMD").args())).containsExactly("serve");
        assertThat(dockerEnv).containsEntry("MCP_HOST", "0.0.0.0").containsEntry("MCP_PORT", "3000")
                .containsEntry("MCP_DATA_DIR", "/var/lib/mos")
                .containsEntry("MCP_CONFIG_PATH", "/app/config/production.json");
        assertThat(ConfigLoader.environmentVariables()).containsAll(dockerEnv.keySet());
    }

    @Test
    void dockerHealthcheckRunsMosHealthAgainstTheServedPort() {
        List<String> cmd = Manifests.healthcheckCommand(dockerfile);
        assertThat(cmd.getFirst()).isEqualTo("java");
        assertThat(cmd).containsSequence("-jar", "/app/mos.jar", "health", "--url",
                "http://127.0.0.1:" + dockerEnv.get("MCP_PORT"));
        String options = Manifests.one(Manifests.lastStage(dockerfile), "HEALTHCHECK").args();
        assertThat(options).contains("--interval=", "--timeout=", "--start-period=", "--retries=");
    }

    @Test
    void dockerfileConfigIsTheRepositoryProductionJsonAndLoadsWithTheImageEnvironment() throws Exception {
        Map<String, String> env = new HashMap<>(dockerEnv);
        env.put("MCP_AUTH_TOKEN", "a-token");
        LoadedConfig loaded = new ConfigLoader().load(new ConfigOverrides(repo.resolve("config/production.json"),
                Map.of(), env));
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().server().host()).isEqualTo("0.0.0.0");
        assertThat(loaded.config().server().port()).isEqualTo(3000);
        assertThat(loaded.config().storage().dataDir()).isEqualTo("/var/lib/mos");
        assertThat(loaded.config().server().shutdownTimeoutMs())
                .as("the drain must end within Docker's default 10 s stop timeout").isLessThanOrEqualTo(8000);
    }

    @Test
    void dockerignoreKeepsBuildOutputsDataAndGitOut() throws Exception {
        List<String> lines = Files.readAllLines(repo.resolve(".dockerignore"));
        assertThat(lines).contains(".git", "target/", "data/", "**/node_modules", ".env");
        assertThat(lines).doesNotContain("src", "src/", "pom.xml", "mvnw", ".mvn", "config", "config/");
    }

    // ---- docker compose ----

    @Test
    void composeServicesRunTheImageReadOnlyAsUser1001WithTheDockerHealthcheck() throws Exception {
        JsonNode services = compose().path("services");
        assertThat(names(services)).contains("mos", "postgres", "mos-a", "mos-b");
        List<String> healthcheck = Manifests.healthcheckCommand(dockerfile);
        for (String name : List.of("mos", "mos-a", "mos-b")) {
            JsonNode s = services.path(name);
            assertThat(s.path("read_only").asBoolean()).as(name + " read_only").isTrue();
            assertThat(s.path("user").asString()).as(name).isEqualTo("1001:1001");
            assertThat(strings(s.path("tmpfs"))).as(name).anyMatch(t -> t.startsWith("/tmp"));
            assertThat(strings(s.path("volumes"))).as(name).contains("./config:/app/config:ro");
            List<String> test = strings(s.path("healthcheck").path("test"));
            assertThat(test.getFirst()).isEqualTo("CMD");
            assertThat(test.subList(1, test.size())).as(name + " healthcheck").isEqualTo(healthcheck);
            assertThat(s.path("stop_grace_period").asString()).as(name).isNotEmpty();
            assertThat(s.path("restart").asString()).as(name).isEqualTo("unless-stopped");
            assertThat(strings(s.path("networks"))).as(name).contains("mcp-network");
            Map<String, String> env = composeEnv(s);
            assertThat(ConfigLoader.environmentVariables()).as(name + " env").containsAll(env.keySet());
            for (String seed : List.of("NODE_ENV", "MCP_MAX_MEMORY_MB", "MCP_SESSION_TIMEOUT_MS", "MCP_LOG_LEVEL")) {
                assertThat(env).as(name).containsKey(seed);
            }
            String port = env.get("MCP_PORT");
            assertThat(strings(s.path("ports"))).as(name).allMatch(p -> p.endsWith(":" + port));
        }
        assertThat(strings(services.path("mos").path("volumes"))).contains("mos-data:/var/lib/mos");
        assertThat(compose().path("volumes").has("mos-data")).isTrue();
    }

    @Test
    void composeHaProfileHasPostgresAndTwoReplicasWaitingForItsHealth() throws Exception {
        JsonNode services = compose().path("services");
        JsonNode pg = services.path("postgres");
        assertThat(strings(pg.path("profiles"))).containsExactly("ha");
        assertThat(pg.path("image").asString()).startsWith("postgres:");
        assertThat(strings(pg.path("healthcheck").path("test"))).contains("pg_isready");
        assertThat(pg.path("environment").path("POSTGRES_PASSWORD").asString()).startsWith("${");
        for (String name : List.of("mos-a", "mos-b")) {
            JsonNode s = services.path(name);
            assertThat(strings(s.path("profiles"))).containsExactly("ha");
            assertThat(s.path("depends_on").path("postgres").path("condition").asString())
                    .isEqualTo("service_healthy");
            Map<String, String> env = composeEnv(s);
            assertThat(env).containsEntry("MCP_STORE", "postgres");
            assertThat(env.get("MCP_DATABASE_URL")).contains("${POSTGRES_PASSWORD");
            DatabaseUrl url = DatabaseUrl.parse(interpolate(env.get("MCP_DATABASE_URL")));
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/mos");
            assertThat(url.user()).isEqualTo("mos");
            assertThat(url.password()).isEqualTo("pw-from-env");
        }
    }

    /**
     * Docker Compose itself (v1 from Debian's docker-compose package, installed by ./run-tests; it validates against the
     * Compose schema and resolves the file without an engine) accepts the file, resolves it to what the tests above
     * read, and refuses to start without a token.
     */
    @Test
    void dockerComposeAcceptsTheFileAndResolvesItAsTheTestsRead() throws Exception {
        Map<String, String> secrets = Map.of("MCP_AUTH_TOKEN", "token-from-env", "POSTGRES_PASSWORD", "pw-from-env");
        ProcessResult ok = dockerCompose(secrets, "--profile", "ha", "config");
        assertThat(ok.exit()).as("docker-compose config:%n%s", ok.output()).isZero();
        JsonNode resolved = Manifests.yamlDocuments(ok.output()).getFirst().path("services");
        JsonNode ours = compose().path("services");
        assertThat(names(resolved)).containsExactlyInAnyOrderElementsOf(names(ours));
        for (String name : names(ours)) {
            Map<String, String> env = new LinkedHashMap<>();
            composeEnv(ours.path(name)).forEach((k, v) -> env.put(k, interpolate(v)));
            assertThat(composeEnv(resolved.path(name))).as(name).isEqualTo(env);
            assertThat(resolved.path(name).path("read_only").asBoolean())
                    .isEqualTo(ours.path(name).path("read_only").asBoolean());
        }
        ProcessResult refused = dockerCompose(Map.of(), "config");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("MCP_AUTH_TOKEN");
    }

    record ProcessResult(int exit, String output) {
    }

    static ProcessResult dockerCompose(Map<String, String> env, String... args) throws Exception {
        if (Stream.of(System.getenv("PATH").split(":"))
                .noneMatch(d -> Files.isExecutable(Path.of(d, "docker-compose")))) {
            throw new AssertionError("docker-compose is not installed: ./run-tests installs Debian's docker-compose (apt-get install -y docker-compose)");
        }
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-f", repo.resolve("docker-compose.yml")
                .toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.equals("POSTGRES_PASSWORD"));
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out);
    }

    @Test
    void composeEnvironmentLoadsThroughTheRealConfigLoader() throws Exception {
        for (String name : List.of("mos", "mos-a")) {
            Map<String, String> env = new HashMap<>();
            composeEnv(compose().path("services").path(name)).forEach((k, v) -> env.put(k, interpolate(v)));
            // the file the container reads is ./config mounted at /app/config
            assertThat(env.get("MCP_CONFIG_PATH")).isEqualTo("/app/config/production.json");
            env.put("MCP_CONFIG_PATH", repo.resolve("config/production.json").toString());
            LoadedConfig loaded = new ConfigLoader().load(new ConfigOverrides(null, Map.of(), env));
            assertThat(loaded.warnings()).as(name).isEmpty();
            assertThat(loaded.config().server().authRequired()).as(name).isTrue();
            assertThat(loaded.config().storage().backend()).isEqualTo(name.equals("mos") ? "sqlite" : "postgres");
        }
    }

    // ---- Kubernetes ----

    @Test
    void baseConfigMapSourceIsAnExactCopyOfTheRepositoryProductionJson() throws Exception {
        assertThat(Files.readString(repo.resolve("deploy/kubernetes/base/production.json")))
                .as("deploy/kubernetes/base/production.json must equal config/production.json (copy it again)")
                .isEqualTo(Files.readString(repo.resolve("config/production.json")));
        assertThat(Files.exists(repo.resolve("deploy/kubernetes/base/mos-auth.env.example"))).isTrue();
        assertThat(Files.exists(repo.resolve("deploy/kubernetes/overlays/ha/database.env.example"))).isTrue();
    }

    @Test
    void bothOverlaysPutEverythingInNamespaceMcpAndEveryReferenceResolves() {
        for (Rendered r : List.of(singleNode, ha)) {
            assertThat(r.one("Namespace").path("metadata").path("name").asString()).isEqualTo("mcp");
            for (JsonNode o : r.objects()) {
                if (!o.path("kind").asString().equals("Namespace")) {
                    assertThat(o.path("metadata").path("namespace").asString()).as(describe(o)).isEqualTo("mcp");
                }
            }
            JsonNode pod = deployment(r).path("spec").path("template").path("spec");
            for (JsonNode v : pod.path("volumes")) {
                if (v.has("configMap")) {
                    r.named("ConfigMap", v.path("configMap").path("name").asString());
                }
                if (v.has("persistentVolumeClaim")) {
                    r.named("PersistentVolumeClaim", v.path("persistentVolumeClaim").path("claimName").asString());
                }
            }
            for (JsonNode e : container(r).path("env")) {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode()) {
                    r.secretValue(ref.path("name").asString(), ref.path("key").asString());
                }
            }
        }
    }

    @Test
    void examplePrometheusKubernetesJobFindsThePodsOfBothOverlays() throws Exception {
        JsonNode job = null;
        for (JsonNode j : Manifests.yamlDocuments(Files.readString(
                repo.resolve("deploy/monitoring/prometheus/prometheus.yml"))).getFirst().path("scrape_configs")) {
            if (j.has("kubernetes_sd_configs")) {
                job = j;
            }
        }
        assertThat(job).as("a kubernetes_sd_configs job in prometheus.yml").isNotNull();
        List<String> namespaces = strings(job.path("kubernetes_sd_configs").get(0).path("namespaces").path("names"));
        for (Rendered r : List.of(singleNode, ha)) {
            JsonNode template = deployment(r).path("spec").path("template");
            assertThat(namespaces).contains(deployment(r).path("metadata").path("namespace").asString());
            JsonNode annotations = template.path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/scrape").asString()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/path").asString()).isEqualTo("/metrics");
            String port = annotations.path("prometheus.io/port").asString();
            assertThat(container(r).path("ports").findValuesAsString("containerPort")).contains(port);
        }
    }

    @Test
    void deploymentHasTheSeedResourcesSecureContextProbesAndPort() {
        for (Rendered r : List.of(singleNode, ha)) {
            JsonNode pod = deployment(r).path("spec").path("template").path("spec");
            JsonNode c = container(r);
            Map<String, String> env = plainEnv(c);
            JsonNode port = c.path("ports").get(0);
            assertThat(port.path("name").asString()).isEqualTo("http");
            assertThat(port.path("containerPort").asInt()).isEqualTo(Integer.parseInt(env.get("MCP_PORT")));
            assertThat(env).containsEntry("MCP_HOST", "0.0.0.0").containsEntry("NODE_ENV", "production")
                    .containsKeys("MCP_MAX_MEMORY_MB", "MCP_SESSION_TIMEOUT_MS");
            Set<String> names = new HashSet<>();
            c.path("env").forEach(e -> names.add(e.path("name").asString()));
            assertThat(ConfigLoader.environmentVariables()).as("env vars MOS reads").containsAll(names);
            assertThat(names).contains("MCP_AUTH_TOKEN");
            JsonNode annotations = deployment(r).path("spec").path("template").path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/scrape").asString()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/path").asString()).isEqualTo("/metrics");
            assertThat(annotations.path("prometheus.io/port").asString()).isEqualTo(env.get("MCP_PORT"));
            assertThat(env).as("annotation scrapes send no token").containsEntry("MCP_PUBLIC_METRICS", "true");

            JsonNode res = c.path("resources");
            assertThat(res.path("requests").path("memory").asString()).isEqualTo("256Mi");
            assertThat(res.path("requests").path("cpu").asString()).isEqualTo("100m");
            assertThat(res.path("limits").path("memory").asString()).isEqualTo("512Mi");
            assertThat(res.path("limits").path("cpu").asString()).isEqualTo("500m");

            assertThat(c.path("livenessProbe").path("httpGet").path("path").asString()).isEqualTo("/health/live");
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asString()).isEqualTo("/health/ready");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                JsonNode get = c.path(probe).path("httpGet");
                assertThat(PROBE_PATHS).as(probe).contains(get.path("path").asString());
                assertThat(get.path("port").asString()).as(probe).isEqualTo("http");
            }

            JsonNode psc = pod.path("securityContext");
            assertThat(psc.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(psc.path("runAsUser").asInt()).isEqualTo(1001);
            assertThat(psc.path("runAsGroup").asInt()).isEqualTo(1001);
            assertThat(psc.path("fsGroup").asInt()).isEqualTo(1001);
            assertThat(psc.path("seccompProfile").path("type").asString()).isEqualTo("RuntimeDefault");
            JsonNode csc = c.path("securityContext");
            assertThat(csc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(csc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(strings(csc.path("capabilities").path("drop"))).containsExactly("ALL");
            assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(15);

            Map<String, JsonNode> mounts = new LinkedHashMap<>();
            c.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asString(), m));
            assertThat(mounts).containsKeys("/tmp", "/app/config", env.get("MCP_DATA_DIR"));
            assertThat(mounts.get("/app/config").path("readOnly").asBoolean()).isTrue();
            assertThat(env.get("MCP_CONFIG_PATH")).startsWith("/app/config/");

            JsonNode service = r.named("Service", "mcp-observability-service");
            assertThat(service.path("spec").path("type").asString()).isEqualTo("ClusterIP");
            assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(3000);
            assertThat(service.path("spec").path("ports").get(0).path("targetPort").asString()).isEqualTo("http");
            assertThat(service.path("spec").path("selector"))
                    .isEqualTo(deployment(r).path("spec").path("selector").path("matchLabels"));
        }
    }

    @Test
    void configMapProductionJsonLoadsThroughTheRealConfigLoaderWithTheDeploymentEnvironment() throws Exception {
        for (Rendered r : List.of(singleNode, ha)) {
            JsonNode pod = deployment(r).path("spec").path("template").path("spec");
            String configMapName = null;
            for (JsonNode v : pod.path("volumes")) {
                if (v.path("name").asString().equals("config")) {
                    configMapName = v.path("configMap").path("name").asString();
                }
            }
            JsonNode cm = r.named("ConfigMap", configMapName);
            Map<String, String> env = new HashMap<>();
            for (JsonNode e : container(r).path("env")) {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                env.put(e.path("name").asString(), ref.isMissingNode() ? e.path("value").asString()
                        : r.secretValue(ref.path("name").asString(), ref.path("key").asString()));
            }
            String file = Path.of(env.get("MCP_CONFIG_PATH")).getFileName().toString();
            Path dir = Files.createTempDirectory("mos-configmap");
            Path json = dir.resolve(file);
            Files.writeString(json, cm.path("data").path(file).asString());
            env.put("MCP_CONFIG_PATH", json.toString());
            LoadedConfig loaded = new ConfigLoader().load(new ConfigOverrides(null, Map.of(), env));
            assertThat(loaded.warnings()).isEmpty();
            assertThat(loaded.source()).isEqualTo(json.toString());
            assertThat(loaded.config().server().port()).isEqualTo(3000);
            assertThat(loaded.config().server().authRequired()).isTrue();
            assertThat(loaded.config().health().maxMemoryMB()).isEqualTo(384);
            assertThat(loaded.config().session().sessionTimeoutMs()).isEqualTo(86_400_000L);
            if (r == ha) {
                assertThat(loaded.config().storage().backend()).isEqualTo("postgres");
                DatabaseUrl url = DatabaseUrl.parse(loaded.config().storage().databaseUrl());
                assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://mos-postgres:5432/mos");
                assertThat(url.password()).isEqualTo(r.secretValue(secretOf(r, "POSTGRES_PASSWORD"),
                        "POSTGRES_PASSWORD"));
                r.named("Service", "mos-postgres");
            } else {
                assertThat(loaded.config().storage().backend()).isEqualTo("sqlite");
            }
        }
    }

    @Test
    void singleNodeOverlayIsOneReplicaOnAPersistentVolumeWithoutAutoscaler() {
        JsonNode d = deployment(singleNode);
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(d.path("spec").path("strategy").path("type").asString()).isEqualTo("Recreate");
        assertThat(singleNode.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(singleNode.ofKind("StatefulSet")).isEmpty();
        JsonNode data = volume(singleNode, "data");
        JsonNode pvc = singleNode.named("PersistentVolumeClaim",
                data.path("persistentVolumeClaim").path("claimName").asString());
        assertThat(strings(pvc.path("spec").path("accessModes"))).contains("ReadWriteOnce");
        assertThat(plainEnv(container(singleNode))).containsEntry("MCP_STORE", "sqlite");
        JsonNode pdb = singleNode.one("PodDisruptionBudget");
        assertThat(pdb.path("spec").path("maxUnavailable").asInt())
                .as("a one-replica PDB must not block node drains").isEqualTo(1);
        assertThat(pdb.path("spec").has("minAvailable")).isFalse();
    }

    @Test
    void haOverlayRunsReplicasOnPostgresWithTheSeedAutoscaler() {
        JsonNode d = deployment(ha);
        assertThat(d.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(plainEnv(container(ha))).containsEntry("MCP_STORE", "postgres");
        JsonNode hpa = ha.one("HorizontalPodAutoscaler");
        assertThat(hpa.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
        assertThat(hpa.path("spec").path("scaleTargetRef").path("kind").asString()).isEqualTo("Deployment");
        assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asString())
                .isEqualTo(d.path("metadata").path("name").asString());
        assertThat(hpa.path("spec").path("minReplicas").asInt()).isEqualTo(2);
        assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(10);
        Map<String, Integer> targets = new HashMap<>();
        hpa.path("spec").path("metrics").forEach(m -> targets.put(m.path("resource").path("name").asString(),
                m.path("resource").path("target").path("averageUtilization").asInt()));
        assertThat(targets).isEqualTo(Map.of("cpu", 70, "memory", 80));
        JsonNode pdb = ha.one("PodDisruptionBudget");
        assertThat(pdb.path("spec").path("minAvailable").asInt()).isEqualTo(1);
        assertThat(pdb.path("spec").has("maxUnavailable")).isFalse();
        JsonNode sts = ha.one("StatefulSet");
        JsonNode pg = sts.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(pg.path("image").asString()).startsWith("postgres:");
        pg.path("env").forEach(e -> assertThat(POSTGRES_IMAGE_VARS).contains(e.path("name").asString()));
    }

    @Test
    void pdbAndNetworkPolicySelectTheMosPodsAndAllowServingDnsPostgresAndOtlp() {
        for (Rendered r : List.of(singleNode, ha)) {
            JsonNode labels = deployment(r).path("spec").path("template").path("metadata").path("labels");
            JsonNode pdbSelector = r.one("PodDisruptionBudget").path("spec").path("selector").path("matchLabels");
            JsonNode np = r.one("NetworkPolicy").path("spec");
            JsonNode npSelector = np.path("podSelector").path("matchLabels");
            for (JsonNode selector : List.of(pdbSelector, npSelector)) {
                selector.properties().forEach(e -> assertThat(labels.path(e.getKey()).asString())
                        .isEqualTo(e.getValue().asString()));
            }
            assertThat(strings(np.path("policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
            Set<Integer> ingress = ports(np.path("ingress"));
            assertThat(ingress).containsExactly(3000);
            assertThat(ports(np.path("egress"))).contains(53, 5432, 4317, 4318);
        }
    }

    // ---- helpers ----

    static JsonNode compose() throws Exception {
        return Manifests.composeFile(repo.resolve("docker-compose.yml"));
    }

    static Map<String, String> composeEnv(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        service.path("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString()));
        return env;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::?[-?][^}]*)?}");

    /** Compose interpolation with the values an operator's .env would give. */
    static String interpolate(String value) {
        Map<String, String> dotEnv = Map.of("MCP_AUTH_TOKEN", "token-from-env", "POSTGRES_PASSWORD", "pw-from-env");
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = dotEnv.get(m.group(1));
            assertThat(v).as("variable " + m.group(1) + " in " + value).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asString()));
        return out;
    }

    static Set<String> names(JsonNode object) {
        Set<String> out = new HashSet<>();
        object.properties().forEach(e -> out.add(e.getKey()));
        return out;
    }

    static JsonNode deployment(Rendered r) {
        return r.named("Deployment", "mcp-observability-server");
    }

    static JsonNode container(Rendered r) {
        JsonNode containers = deployment(r).path("spec").path("template").path("spec").path("containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    static JsonNode volume(Rendered r, String name) {
        for (JsonNode v : deployment(r).path("spec").path("template").path("spec").path("volumes")) {
            if (v.path("name").asString().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    static Map<String, String> plainEnv(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asString(), e.path("value").asString());
            }
        });
        return env;
    }

    static String secretOf(Rendered r, String key) {
        return r.ofKind("Secret").stream().filter(s -> s.path("data").has(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no secret with " + key))
                .path("metadata").path("name").asString();
    }

    static Set<Integer> ports(JsonNode rules) {
        Set<Integer> out = new HashSet<>();
        rules.forEach(rule -> rule.path("ports").forEach(p -> out.add(p.path("port").asInt())));
        return out;
    }

    static String describe(JsonNode o) {
        return o.path("kind").asString() + "/" + o.path("metadata").path("name").asString();
    }
}
