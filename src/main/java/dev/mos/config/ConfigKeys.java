package dev.mos.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key with its type, allowed range and default. */
final class ConfigKeys {

    enum Type { STRING, INT, LONG, DOUBLE, BOOLEAN, STRING_LIST, REGEX_LIST, CHOICE }

    record Key(String path, Type type, double min, double max, List<String> choices, Object defaultValue) {

        String rule() {
            return switch (type) {
                case STRING -> "a string";
                case STRING_LIST -> "a list of strings (or one comma-separated string)";
                case REGEX_LIST -> "a list of Java regular expressions (a JSON array, or one expression)";
                case BOOLEAN -> "true or false";
                case CHOICE -> "one of " + String.join(", ", choices);
                case INT, LONG -> "an integer between " + (long) min + " and " + (long) max;
                case DOUBLE -> "a number between " + min + " and " + max;
            };
        }
    }

    static final Map<String, Key> ALL = new LinkedHashMap<>();

    static {
        add("server.name", Type.STRING, "mcp-observability-server");
        add("server.version", Type.STRING, "1.0.0");
        add("server.host", Type.STRING, "127.0.0.1");
        add("server.port", Type.INT, 0, 65_535, 3000);
        add("server.authTokens", Type.STRING_LIST, List.of());
        // a JSON array of {"name", "scopes", "sha256"}: scoped tokens, re-read when the file changes
        add("server.tokensFile", Type.STRING, "");
        // signs the dashboard's sign-in cookies; replicas share it so a sign-in holds on all of them
        add("server.cookieSecret", Type.STRING, "");
        add("server.cookieTtlMs", Type.LONG, 60_000, 30L * 86_400_000, 8L * 3_600_000);
        // PEM certificate chain and unencrypted PKCS#8 key: both or neither
        add("server.tls.certFile", Type.STRING, "");
        add("server.tls.keyFile", Type.STRING, "");
        add("server.allowedOrigins", Type.STRING_LIST, List.of());
        add("server.maxRequestBytes", Type.LONG, 1024, 1L << 30, 4L * 1024 * 1024);
        add("server.shutdownTimeoutMs", Type.LONG, 0, 600_000, 8_000L);
        add("server.allowRemoteWithoutAuth", Type.BOOLEAN, false);
        // /metrics without the bearer token (for annotation-based Prometheus scraping inside a cluster)
        add("server.publicMetrics", Type.BOOLEAN, false);
        // per token and per remote address; 0 = no limit. One Claude Code session sends a few requests/s; behind an
        // ingress every client shares its address, so the defaults leave room for a team
        add("limits.requestsPerSecond", Type.LONG, 0, 1_000_000_000, 1000L);
        add("limits.bytesPerSecond", Type.LONG, 0, 1L << 40, 32L * 1024 * 1024);
        // a developer's own machine is not limited by address (its token still is)
        add("limits.exemptLoopback", Type.BOOLEAN, true);
        // per token; one Claude Code session is one session (its subagents share it), so only runaways reach it
        add("limits.newSessionsPerHour", Type.INT, 0, 10_000_000, 1000);
        add("health.maxMemoryMB", Type.INT, 16, 1_048_576, 512);
        add("health.maxResponseTimeMS", Type.LONG, 1, 3_600_000, 1000L);
        add("health.maxErrorRate", Type.DOUBLE, 0, 1, 0.05);
        add("health.healthCheckInterval", Type.LONG, 100, 86_400_000, 30_000L);
        add("session.maxEventsPerSession", Type.INT, 1, 10_000_000, 1000);
        add("session.sessionTimeoutMs", Type.LONG, 1000, 365L * 86_400_000, 86_400_000L);
        add("streaming.slowThresholdMs", Type.LONG, 0, 86_400_000, 500L);
        add("streaming.bufferSize", Type.INT, 1, 100_000, 100);
        choice("logging.level", List.of("trace", "debug", "info", "warn", "error"), "info");
        add("logging.includeStack", Type.BOOLEAN, true);
        choice("logging.format", List.of("text", "json"), "text");
        add("circuitBreaker.failureRateThreshold", Type.DOUBLE, 1, 100, 50.0);
        add("circuitBreaker.minimumCalls", Type.INT, 1, 100_000, 10);
        add("circuitBreaker.slidingWindowSize", Type.INT, 1, 100_000, 20);
        add("circuitBreaker.waitInOpenMs", Type.LONG, 10, 3_600_000, 30_000L);
        choice("storage.backend", List.of("memory", "sqlite", "postgres"), "sqlite");
        add("storage.dataDir", Type.STRING, "./data");
        // empty: only the postgres backend needs it
        add("storage.databaseUrl", Type.STRING, "");
        add("pricing.file", Type.STRING, "");
        // 0: the same as session.sessionTimeoutMs
        add("storage.retentionMs", Type.LONG, 0, 100L * 365 * 86_400_000, 0L);
        // process: an acknowledged event survives the process dying; power: also a power loss (fsync per commit)
        choice("storage.durability", List.of("process", "power"), "process");
        add("privacy.redact", Type.BOOLEAN, true);
        add("privacy.redactPatterns", Type.REGEX_LIST, List.of());
        choice("privacy.promptCapture", List.of("none", "excerpt", "full"), "excerpt");
        choice("privacy.toolIoCapture", List.of("none", "excerpt", "full"), "excerpt");
        // bounded by EventLimits.MAX_STRING_LENGTH: a longer value would be cut by the decoder anyway
        add("privacy.excerptChars", Type.INT, 1, 10_000, 200);
        add("privacy.maxToolIoChars", Type.INT, 16, 10_000, 2_000);
        // OTLP trace export (dev.mos.export): empty endpoint = off; headers are secrets (k=v,k2=v2 or an object)
        add("otlpExport.endpoint", Type.STRING, "");
        choice("otlpExport.protocol", List.of("http/protobuf"), "http/protobuf");
        add("otlpExport.headers", Type.STRING, "");
        add("otlpExport.timeoutMs", Type.LONG, 100, 600_000, 10_000L);
        add("otlpExport.queueSize", Type.INT, 1, 1_000_000, 10_000);
        add("otlpExport.maxBatchSize", Type.INT, 1, 100_000, 512);
        add("otlpExport.flushIntervalMs", Type.LONG, 10, 600_000, 1_000L);
        // empty: server.name
        add("otlpExport.serviceName", Type.STRING, "");
        add("otlpExport.allowRuntimeConfig", Type.BOOLEAN, false);
    }

    private ConfigKeys() {
    }

    private static void add(String path, Type type, Object defaultValue) {
        ALL.put(path, new Key(path, type, 0, 0, List.of(), defaultValue));
    }

    private static void add(String path, Type type, double min, double max, Object defaultValue) {
        ALL.put(path, new Key(path, type, min, max, List.of(), defaultValue));
    }

    private static void choice(String path, List<String> choices, String defaultValue) {
        ALL.put(path, new Key(path, Type.CHOICE, 0, 0, choices, defaultValue));
    }

    static boolean isSection(String name) {
        String prefix = name + ".";
        return ALL.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }
}
