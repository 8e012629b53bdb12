package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.deploy.Manifests;
import dev.mos.deploy.Manifests.Instruction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs the Dockerfile's runtime command for real, without Docker: ENTRYPOINT + CMD + ENV as the image declares them,
 * the packaged jar and config in root-owned read-only directories (WORKDIR included), the data volume and the tmpfs
 * /tmp as the only writable directories, as uid/gid 1001 (setpriv, when the test runs as root). Then the HEALTHCHECK
 * command, the Kubernetes probe paths, and SIGTERM with an open SSE stream within Docker's 10 s stop timeout.
 */
class ContainerRuntimeIT {

    private static final Pattern PORT_LINE = Pattern.compile("MOS_PORT=(\\d+)");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private Path root;
    private Path app;
    private Path data;
    private Path tmp;
    private List<Instruction> dockerfile;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void layOutTheImage() throws Exception {
        dockerfile = Manifests.dockerfile(Manifests.repo().resolve("Dockerfile"));
        root = Files.createTempDirectory("mos-image");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("app/config"));
        app = root.resolve("app");
        Files.copy(MosProcess.JAR, app.resolve("mos.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Manifests.repo().resolve("config/production.json"), app.resolve("config/production.json"));
        for (Path p : List.of(app.resolve("mos.jar"), app.resolve("config/production.json"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--r--"));
        }
        for (Path p : List.of(app, app.resolve("config"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(ROOT ? "rwxr-xr-x" : "r-xr-xr-x"));
        }
        data = Files.createDirectories(root.resolve("var/lib/mos"));
        tmp = Files.createDirectories(root.resolve("tmp"));
        Files.setPosixFilePermissions(root.resolve("var"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root.resolve("var/lib"), PosixFilePermissions.fromString("rwxr-xr-x"));
        if (ROOT) {
            for (Path p : List.of(data, tmp)) {
                Files.setAttribute(p, "unix:uid", 1001);
                Files.setAttribute(p, "unix:gid", 1001);
            }
        } else {
            System.out.println("ContainerRuntimeIT: not root, so the server runs as the current user instead of "
                    + "uid/gid 1001 (setpriv needs root); read-only directories are still read-only");
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (!ROOT) {
            Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(app.resolve("config"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** A container argument list with the image's paths mapped into this test's layout. */
    private List<String> inImage(List<String> args, int port) {
        List<String> out = new ArrayList<>();
        if (ROOT) {
            out.addAll(List.of("setpriv", "--reuid=1001", "--regid=1001", "--clear-groups"));
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (i == 0 && a.equals("java")) {
                a = MosProcess.javaBin();
            }
            a = a.replace("/app/", app + "/").replace("-Djava.io.tmpdir=/tmp", "-Djava.io.tmpdir=" + tmp)
                    .replace("http://127.0.0.1:3000", "http://127.0.0.1:" + port);
            out.add(a);
        }
        return out;
    }

    private Map<String, String> imageEnv(int port) {
        Map<String, String> env = new java.util.HashMap<>(Manifests.dockerEnv(dockerfile));
        env.replaceAll((k, v) -> v.replace("/app/", app + "/").replace("/var/lib/mos", data.toString()));
        env.put("MCP_PORT", Integer.toString(port));
        return env;
    }

    private Process start(List<String> command, Map<String, String> env, List<String> output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("MOS_")
                || k.equals("NODE_ENV") || k.equals("DEBUG") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private List<String> serverCommand(int port) {
        List<Instruction> stage = Manifests.lastStage(dockerfile);
        List<String> cmd = new ArrayList<>(Manifests.execForm(Manifests.one(stage, "ENTRYPOINT").args()));
        cmd.addAll(Manifests.execForm(Manifests.one(stage, "CMD").args()));
        return inImage(cmd, port);
    }

    private int healthcheck(int port) throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        Process p = start(inImage(Manifests.healthcheckCommand(dockerfile), port), imageEnv(port), out);
        // the HEALTHCHECK's own --timeout (10 s) is the bound; this is a correctness limit, not a speed target
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("mos health finished: " + out).isTrue();
        Thread.sleep(50);
        System.out.println("HEALTHCHECK on port " + port + " -> exit " + p.exitValue() + ": " + out);
        return p.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void withoutATokenTheImageRefusesToServeOnAllInterfaces() throws Exception {
        int port = freePort();
        List<String> out = new CopyOnWriteArrayList<>();
        Process p = start(serverCommand(port), imageEnv(port), out);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50);
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(String.join("\n", out)).contains("refusing to listen on 0.0.0.0 without an auth token")
                .contains("MCP_AUTH_TOKEN");
    }

    @Test
    void runsAsTheImageDeclaresAnswersProbesAndHealthcheckAndStopsGracefullyOnSigterm() throws Exception {
        int port = freePort();
        Map<String, String> env = imageEnv(port);
        env.put("MCP_AUTH_TOKEN", "container-test-token");
        List<String> out = new CopyOnWriteArrayList<>();
        Process server = start(serverCommand(port), env, out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (out.stream().noneMatch(l -> PORT_LINE.matcher(l).find())) {
            assertThat(server.isAlive()).as("server exited early:\n" + String.join("\n", out)).isTrue();
            assertThat(System.nanoTime()).as("server did not listen:\n" + String.join("\n", out))
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        String base = "http://127.0.0.1:" + port;
        String auth = "Bearer container-test-token";

        // probes (the rendered Deployment's paths) answer without the token; data needs it
        Set<String> probePaths = new HashSet<>(List.of("/health", "/health/live", "/health/ready"));
        for (JsonNode c : Manifests.renderOverlay("single-node").named("Deployment", "mcp-observability-server")
                .path("spec").path("template").path("spec").path("containers")) {
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                probePaths.add(c.path(probe).path("httpGet").path("path").asString());
            }
        }
        for (String path : probePaths) {
            assertThat(Http.get(base + path).status()).as(path).isEqualTo(200);
        }
        assertThat(Http.get(base + "/metrics").status()).isEqualTo(401);
        assertThat(Http.get(base + "/metrics", "Authorization", auth).status()).isEqualTo(200);
        Http.Response logged = Http.call(base, "log_event", "{\"event\": {\"session_id\": \"container\", "
                + "\"event_type\": \"task_started\", \"details\": {\"name\": \"in the image\"}}}",
                "Authorization", auth);
        assertThat(logged.status()).isEqualTo(200);

        // the store is the data volume, and only the writable directories were written
        assertThat(data.resolve("mos.db")).exists();
        try (var files = Files.list(app)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("mos.jar", "config");
        }
        if (ROOT) {
            assertThat(Files.getAttribute(data.resolve("mos.db"), "unix:uid")).isEqualTo(1001);
        }

        assertThat(healthcheck(port)).as("HEALTHCHECK against the live server").isZero();

        try (SseClient sse = SseClient.open(base + "/api/v1/stream", "Authorization", auth)) {
            assertThat(sse.status).isEqualTo(200);
            long t0 = System.nanoTime();
            server.toHandle().destroy(); // SIGTERM, as docker stop sends (STOPSIGNAL)
            boolean exited = server.waitFor(10, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(exited).as("stopped within Docker's 10 s grace:\n" + String.join("\n", out)).isTrue();
            System.out.println("ContainerRuntimeIT: SIGTERM with an open SSE stream -> exit "
                    + server.exitValue() + " after " + ms + " ms");
            assertThat(server.exitValue()).isZero();
        }
        assertThat(String.join("\n", out)).doesNotContain("container-test-token").doesNotContain("\tat ");
        assertThat(healthcheck(port)).as("HEALTHCHECK against a stopped server").isEqualTo(1);
    }
}
