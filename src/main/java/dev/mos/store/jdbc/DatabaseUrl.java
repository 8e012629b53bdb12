package dev.mos.store.jdbc;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL address as users write it ({@code postgres://user:pass@host:5432/db?sslmode=require}, as in the
 * deployment guide, or a {@code jdbc:postgresql:} URL), split so the password travels as a property and never
 * appears in anything we log: {@link #redacted()} is the only form that may be printed.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("storage.databaseUrl (MCP_DATABASE_URL) is required for the postgres"
                    + " backend, e.g. postgres://user:password@host:5432/mos");
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(trimmed, null, null);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("storage.databaseUrl (MCP_DATABASE_URL) is not a valid URL: "
                    + redactText(trimmed));
        }
        String scheme = uri.getScheme();
        if (!"postgres".equals(scheme) && !"postgresql".equals(scheme)) {
            throw new IllegalArgumentException("storage.databaseUrl (MCP_DATABASE_URL) must start with postgres://,"
                    + " postgresql:// or jdbc:postgresql:, got " + redactText(trimmed));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("storage.databaseUrl (MCP_DATABASE_URL) names no host: "
                    + redactText(trimmed));
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new DatabaseUrl(jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The address with any password replaced by ***; safe for logs and error messages. */
    public String redacted() {
        return redactText(jdbcUrl) + (user == null ? "" : " as " + user);
    }

    /** Masks user:password@ and password= in any URL-ish text. */
    public static String redactText(String text) {
        if (text == null) {
            return null;
        }
        return text.replaceAll("(//[^:/@]*:)[^@/]*@", "$1***@")
                .replaceAll("(?i)(password=)[^&\\s]*", "$1***");
    }

    @Override
    public String toString() {
        return redacted();
    }
}
