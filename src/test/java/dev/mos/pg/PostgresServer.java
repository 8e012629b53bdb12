package dev.mos.pg;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server that the test run starts itself (Debian's postgresql package: initdb and pg_ctl into a
 * temp directory, on a free loopback port), shared by the tests of one JVM and stopped when it exits. PostgreSQL
 * refuses to run as root, so as root the binaries run as the {@code postgres} user through runuser.
 */
public final class PostgresServer {

    private static PostgresServer shared;

    private final Path dir;
    private final Path binDir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path dir, Path binDir, int port) {
        this.dir = dir;
        this.binDir = binDir;
        this.port = port;
    }

    /** The JVM's server, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
        }
        return shared;
    }

    /** A server of its own (for tests that stop and restart it), stopped when the JVM exits. */
    public static PostgresServer startPrivate() {
        PostgresServer server = start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
        return server;
    }

    private static PostgresServer start() {
        Path bin = findBinaries();
        try {
            Path dir = Files.createTempDirectory("mos-pg");
            int port = freePort();
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            PostgresServer server = new PostgresServer(dir, bin, port);
            server.asPostgres(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"));
            server.asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200",
                    "-l", dir.resolve("log").toString(), "-w", "-t", "60", "start"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static Path findBinaries() {
        List<Path> candidates = new ArrayList<>();
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                versions.sorted(Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException ignored) {
                // fall through to the error below
            }
        }
        return candidates.stream().filter(p -> Files.isExecutable(p.resolve("pg_ctl"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries not found under"
                        + " /usr/lib/postgresql/*/bin; install them with: apt-get install -y postgresql"
                        + " (.ci/run does this)"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void asPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    public Path binDir() {
        return binDir;
    }

    /** A fresh, empty database; returns its JDBC URL. */
    public String createDatabase() {
        String name = "mos_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** The libpq-style URL users put in MCP_DATABASE_URL. */
    public String url(String jdbcUrl) {
        String db = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1, jdbcUrl.indexOf('?'));
        return "postgres://postgres:unused-secret@127.0.0.1:" + port + "/" + db;
    }

    /** Stops the server immediately (as a crash would) and keeps its data. */
    public void stopNow() {
        asPostgres(List.of(binDir.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
                "immediate", "-w", "stop"));
    }

    /** Starts it again after {@link #stopNow()}. */
    public void restart() {
        asPostgres(List.of(binDir.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200",
                "-l", dir.resolve("log").toString(), "-w", "-t", "60", "start"));
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    private void stop() {
        try {
            stopNow();
        } catch (RuntimeException ignored) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir: best effort
        }
    }
}
