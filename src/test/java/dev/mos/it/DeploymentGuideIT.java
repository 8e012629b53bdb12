package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.config.ConfigLoader;
import dev.mos.deploy.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DEPLOYMENT.md as its top says: every ```bash block runs (one bash -euo pipefail script each, in order, from a
 * scratch copy of the repository) against a live server started like its quick start, and must exit 0; every
 * `kubectl apply -k DIR` renders with a real kustomize; every repository path it names exists; every environment
 * variable the server reads is documented.
 */
class DeploymentGuideIT {

    private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```\\s*$");
    private static final Pattern REPO_PATH = Pattern.compile(
            "(?<![\\w./<$-])(deploy/(?:kubernetes|monitoring)(?:/[\\w./-]*\\w)?|(?:config|docs|src|\\.ci)/[\\w./-]*\\w"
                    + "|Dockerfile|docker-compose\\.yml"
                    + "|\\.env\\.example|README\\.md|\\.dockerignore)");
    private static final Pattern APPLY_K = Pattern.compile("kubectl apply -k (\\S+)");
    /** What the guide runs in the container: "java -jar /app/mos.jar ARGS" up to the end of the command. */
    private static final Pattern IN_CONTAINER = Pattern.compile("java -jar /app/mos\\.jar ([^\\n;&|]+)");
    /** Kubernetes objects the guide's kubectl commands name. */
    private static final Pattern K8S_NAME = Pattern.compile(
            "(?<=\\s)(deployment|deploy|svc)/([a-z0-9-]+)(?![/\\w])|kubectl -n mcp exec ([a-z0-9-]+-0)\\b");
    private static final Pattern COMPOSE_SERVICE = Pattern.compile("docker compose exec (\\S+)");
    private static final Pattern CONTAINER_NAME = Pattern.compile(
            "docker (?:exec|cp|inspect|stop|logs) (?:--format '[^']*' )?([a-z][a-z0-9-]*)");

    record Block(String language, String body) {
    }

    static Path repo;
    static String guide;
    static List<Block> blocks;

    @BeforeAll
    static void read() throws IOException {
        repo = Manifests.repo();
        guide = Files.readString(repo.resolve("DEPLOYMENT.md"));
        blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(guide);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
    }

    /** Lines of a block with backslash continuations joined. */
    static List<String> commands(String body) {
        return List.of(body.replaceAll("\\\\\\n\\s*", " ").split("\\n"));
    }

    @Test
    void everyEnvironmentVariableTheServerReadsIsDocumented() {
        for (String variable : ConfigLoader.environmentVariables()) {
            assertThat(guide).as("DEPLOYMENT.md documents " + variable).contains("`" + variable + "`");
        }
    }

    @Test
    void everyRepositoryPathTheGuideNamesExists() {
        String text = guide.replaceAll("(?s)<!--.*?-->", "");
        Set<String> paths = new LinkedHashSet<>();
        Matcher m = REPO_PATH.matcher(text);
        while (m.find()) {
            paths.add(m.group(1));
        }
        assertThat(paths).contains("Dockerfile", "docker-compose.yml", "deploy/kubernetes/overlays/ha");
        for (String p : paths) {
            if (p.endsWith(".env") && Files.exists(repo.resolve(p + ".example"))) {
                continue; // the operator creates it from the committed example, as the guide says
            }
            assertThat(repo.resolve(p)).as("path named in DEPLOYMENT.md").exists();
        }
    }

    @Test
    void composeServicesAndContainerNamesTheGuideUsesExist() throws Exception {
        var compose = Manifests.composeFile(repo.resolve("docker-compose.yml"));
        Matcher m = COMPOSE_SERVICE.matcher(guide);
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(compose.path("services").has(m.group(1))).as("compose service " + m.group(1)).isTrue();
        }
        assertThat(found).isPositive();
        String containerName = compose.path("services").path("mos").path("container_name").asString();
        Matcher c = CONTAINER_NAME.matcher(guide);
        while (c.find()) {
            assertThat(c.group(1)).as("container name in " + c.group()).isEqualTo(containerName);
        }
    }

    @Test
    void runnableBlocksUseCurlWithFailSoHttpErrorsFailThem() {
        List<Block> runnable = blocks.stream().filter(b -> b.language().equals("bash")).toList();
        assertThat(runnable).hasSizeGreaterThan(5);
        for (Block b : runnable) {
            for (String line : commands(b.body())) {
                if (line.matches(".*\\bcurl\\s.*")) {
                    assertThat(line).as("curl in a run block must fail on HTTP errors")
                            .containsPattern("curl\\s+(-[a-zA-Z]*f[a-zA-Z]*|--fail)\\b");
                }
            }
        }
    }

    @Test
    void runnableBlocksSucceedAgainstALiveServerAndEveryApplyTargetRenders() throws Exception {
        Path copy = scratchCopy();
        Path data = Files.createTempDirectory("mos-guide-data");
        MosProcess mos = MosProcess.serve(Map.of("MCP_DATA_DIR", data.toString()));
        try {
            int port = mos.port();
            int n = 0;
            for (Block b : blocks) {
                if (!b.language().equals("bash")) {
                    continue;
                }
                n++;
                String script = b.body().replace("localhost:3000", "localhost:" + port)
                        .replace("127.0.0.1:3000", "127.0.0.1:" + port);
                ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                        .directory(copy.toFile()).redirectErrorStream(true);
                pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("MOS_")
                        || k.equals("NODE_ENV") || k.equals("DEBUG"));
                pb.environment().put("MCP_PORT", Integer.toString(port));
                pb.environment().put("MCP_DATA_DIR", data.toString());
                pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
                Process p = pb.start();
                byte[] out = p.getInputStream().readAllBytes();
                assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
                String output = new String(out, StandardCharsets.UTF_8);
                System.out.println("DEPLOYMENT.md bash block " + n + " -> exit " + p.exitValue() + "\n"
                        + (output.length() > 2000 ? output.substring(0, 2000) + "..." : output));
                assertThat(p.exitValue()).as("DEPLOYMENT.md bash block %d:\n%s\noutput:\n%s", n, script, output)
                        .isZero();
            }
            // the commands the guide runs inside the container, with the image's paths mapped here
            Set<String> inContainer = new LinkedHashSet<>();
            for (Block b : blocks) {
                Matcher c = IN_CONTAINER.matcher(b.body());
                while (c.find()) {
                    inContainer.add(c.group(1).strip());
                }
            }
            assertThat(inContainer).anyMatch(c -> c.startsWith("health")).anyMatch(c -> c.startsWith("backup"))
                    .anyMatch(c -> c.startsWith("prune"));
            for (String args : inContainer) {
                List<String> cmd = new ArrayList<>(MosProcess.command());
                for (String a : args.split("\\s+")) {
                    cmd.add(a.replace("/var/lib/mos", data.toString()).replace("127.0.0.1:3000", "127.0.0.1:" + port));
                }
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("MOS_"));
                pb.environment().put("MCP_DATA_DIR", data.toString());
                Process p = pb.start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                System.out.println("in-container command: mos " + args + " -> exit " + p.exitValue());
                assertThat(p.exitValue()).as("java -jar /app/mos.jar %s:\n%s", args, output).isZero();
            }
            assertThat(mos.process.isAlive()).isTrue();
        } finally {
            mos.close();
        }

        // the apply targets, with the secret files the bash blocks created in the copy
        Set<String> targets = new LinkedHashSet<>();
        for (Block b : blocks) {
            Matcher m = APPLY_K.matcher(b.body());
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        assertThat(targets).contains("deploy/kubernetes/overlays/single-node", "deploy/kubernetes/overlays/ha");
        Set<String> objects = new LinkedHashSet<>();
        for (String target : targets) {
            var documents = Manifests.yamlDocuments(Manifests.render(copy.resolve(target)));
            assertThat(documents).as(target).anyMatch(d -> d.path("kind").asString().equals("Deployment"));
            for (var d : documents) {
                String name = d.path("metadata").path("name").asString();
                objects.add(d.path("kind").asString() + "/" + name);
                if (d.path("kind").asString().equals("StatefulSet")) {
                    objects.add("Pod/" + name + "-0");
                }
            }
        }
        for (Block b : blocks) {
            Matcher k = K8S_NAME.matcher(b.body());
            while (k.find()) {
                String object = k.group(3) != null ? "Pod/" + k.group(3)
                        : (k.group(1).equals("svc") ? "Service/" : "Deployment/") + k.group(2);
                assertThat(objects).as("kubectl in DEPLOYMENT.md names " + object).contains(object);
            }
        }
    }

    /**
     * The repository as an operator has it, minus their secrets: deploy/ and config/ copied (the blocks write
     * secret files there), the launcher copied, the build and sources linked (./mos uses target/mos.jar).
     */
    private static Path scratchCopy() throws IOException {
        Path copy = Files.createTempDirectory("mos-guide");
        for (String dir : List.of("deploy", "config")) {
            Manifests.copyWithoutSecrets(repo.resolve(dir), copy.resolve(dir));
        }
        for (String file : List.of("mos", "Dockerfile", "docker-compose.yml", ".env.example", ".dockerignore",
                "README.md", "DEPLOYMENT.md")) {
            Files.copy(repo.resolve(file), copy.resolve(file));
        }
        // pom.xml keeps its time: ./mos rebuilds the jar when it is newer than target/mos.jar
        Files.copy(repo.resolve("pom.xml"), copy.resolve("pom.xml"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String link : List.of("target", "src", "mvnw", ".mvn", "docs")) {
            Files.createSymbolicLink(copy.resolve(link), repo.resolve(link));
        }
        return copy;
    }
}
