package dev.mos.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate from PEM files, re-read when either file changes (a renewed certificate is served
 * without a restart; connections already open keep theirs). A renewal that does not load keeps the current
 * certificate and says why in the log.
 */
final class TlsFiles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsFiles.class);
    private static final long CHECK_SECONDS = 5;

    private final Path certFile;
    private final Path keyFile;
    private final SslContextFactory.Server factory;
    private ScheduledExecutorService watcher;
    private FileTime[] loaded;
    private FileTime[] failed;

    /** Reads both files now: a bad pair stops the start with its error. */
    TlsFiles(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.factory = new SslContextFactory.Server();
        factory.setKeyStore(PemKeyStore.load(certFile, keyFile));
        factory.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        this.loaded = times();
    }

    SslContextFactory.Server factory() {
        return factory;
    }

    void watch() {
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mos-tls-reload");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    private void reloadIfChanged() {
        FileTime[] now = times();
        if (java.util.Arrays.equals(now, loaded) || java.util.Arrays.equals(now, failed)) {
            return;
        }
        try {
            var store = PemKeyStore.load(certFile, keyFile);
            factory.reload(f -> f.setKeyStore(store));
            loaded = now;
            failed = null;
            log.info("TLS certificate re-read from {}", certFile);
        } catch (Exception e) {
            // cert and key are often replaced one after the other: the pair is tried again when either changes
            failed = now;
            log.warn("TLS certificate not re-read, serving the current one: {}", e.getMessage());
        }
    }

    private FileTime[] times() {
        try {
            return new FileTime[] {Files.getLastModifiedTime(certFile), Files.getLastModifiedTime(keyFile)};
        } catch (java.io.IOException e) {
            return new FileTime[0];
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
