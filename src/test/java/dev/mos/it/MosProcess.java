package dev.mos.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server (target/mos.jar) as a real child process, in a temp working directory. */
final class MosProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "mos.jar").toAbsolutePath();
    private static final Pattern PORT = Pattern.compile("MOS_PORT=(\\d+)");

    final Process process;
    final List<String> stderr = new CopyOnWriteArrayList<>();
    final Path workDir;
    private volatile int port = -1;

    private MosProcess(Process process, Path workDir) {
        this.process = process;
        this.workDir = workDir;
    }

    static String javaBin() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the process with a clean environment plus {@code env}; stderr is collected line by line. */
    static MosProcess start(Map<String, String> env, String... args) throws IOException {
        Path dir = Files.createTempDirectory("mos-it");
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.equals("NODE_ENV") || k.equals("DEBUG"));
        pb.environment().putAll(env);
        MosProcess mos = new MosProcess(pb.start(), dir);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(mos.process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    mos.stderr.add(line);
                    Matcher m = PORT.matcher(line);
                    if (m.find()) {
                        mos.port = Integer.parseInt(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "mos-stderr");
        reader.setDaemon(true);
        reader.start();
        return mos;
    }

    /** Starts "serve --port 0" and waits until it listens. */
    static MosProcess serve(Map<String, String> env, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
        args.addAll(List.of(extraArgs));
        MosProcess mos = start(env, args.toArray(String[]::new));
        try {
            // generous: on a shared 2-core machine under heavy load a JVM start has taken over a minute
            mos.awaitPort(Duration.ofSeconds(120));
        } catch (AssertionError | InterruptedException e) {
            mos.close(); // nobody else holds it: do not leave the server running
            throw e;
        }
        return mos;
    }

    int awaitPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (port < 0) {
            if (!process.isAlive()) {
                throw new AssertionError("mos exited with " + process.exitValue() + " before listening:\n"
                        + String.join("\n", stderr));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("mos did not listen within " + timeout + ":\n" + String.join("\n", stderr));
            }
            Thread.sleep(20);
        }
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Sends SIGTERM and returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of stderr and lose the last lines.
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mos did not stop within " + timeout + " after SIGTERM:\n"
                    + String.join("\n", stderr));
        }
        return process.exitValue();
    }

    String stderrText() {
        return String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
