package dev.mos.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens the server accepts: {@code MCP_AUTH_TOKEN}'s (named {@code default}, every scope) and the tokens
 * file's. The file is looked at again at most once a second and re-read when its modification time or size
 * changed, so a token is added or revoked without a restart. A file that turns bad keeps the last good set
 * (and says why in the log): a typo must not lock every agent out.
 */
public final class Tokens {

    private static final Logger log = LoggerFactory.getLogger(Tokens.class);
    private static final long RECHECK_MS = 1_000;

    private final List<TokenEntry> fixed;
    private final Path file;
    private final Clock clock;
    private volatile Snapshot snapshot;

    private record Snapshot(List<TokenEntry> entries, FileTime modified, long size, long checkedMs) {
    }

    /**
     * @param authTokens the plain tokens of {@code server.authTokens} (kept only as digests)
     * @param file the tokens file, or null; read now, so a bad file stops the start with its error
     */
    public Tokens(List<String> authTokens, Path file, Clock clock) {
        List<TokenEntry> plain = new ArrayList<>();
        for (int i = 0; i < authTokens.size(); i++) {
            plain.add(new TokenEntry(i == 0 ? "default" : "default-" + (i + 1), Scope.ALL,
                    TokenDigest.of(authTokens.get(i))));
        }
        this.fixed = List.copyOf(plain);
        this.file = file;
        this.clock = clock;
        this.snapshot = file == null ? new Snapshot(List.of(), null, 0, Long.MAX_VALUE) : load();
    }

    /** Whether any token is configured (otherwise the server is open, as on a laptop). */
    public boolean required() {
        return !fixed.isEmpty() || file != null;
    }

    /** The caller a presented token belongs to; compared by digest in constant time over every entry. */
    public Optional<Caller> authenticate(String presented) {
        byte[] digest = TokenDigest.of(presented);
        TokenEntry found = null;
        for (TokenEntry entry : fixed) {
            if (MessageDigest.isEqual(entry.sha256(), digest)) {
                found = entry;
            }
        }
        for (TokenEntry entry : current()) {
            if (MessageDigest.isEqual(entry.sha256(), digest) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found).map(TokenEntry::caller);
    }

    /** The entry of the token with this name, as now configured (a signed-in browser is checked against it). */
    public Optional<TokenEntry> named(String name) {
        for (TokenEntry entry : fixed) {
            if (entry.name().equals(name)) {
                return Optional.of(entry);
            }
        }
        return current().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    private List<TokenEntry> current() {
        Snapshot s = snapshot;
        if (file != null && clock.millis() - s.checkedMs() >= RECHECK_MS) {
            s = refresh(s);
        }
        return s.entries();
    }

    private synchronized Snapshot refresh(Snapshot seen) {
        if (snapshot != seen) {
            return snapshot; // another request just looked
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(seen.modified()) && size == seen.size()) {
                snapshot = new Snapshot(seen.entries(), modified, size, clock.millis());
            } else {
                snapshot = load();
                log.info("tokens file {} re-read: {} tokens", file, snapshot.entries().size());
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            log.warn("tokens file {} not re-read, keeping the last good set: {}", file, e.getMessage());
            snapshot = new Snapshot(seen.entries(), seen.modified(), seen.size(), clock.millis());
        }
        return snapshot;
    }

    private Snapshot load() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            return new Snapshot(TokensFile.read(file), modified, size, clock.millis());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("server.tokensFile " + file + " cannot be read: " + e.getMessage());
        }
    }
}
