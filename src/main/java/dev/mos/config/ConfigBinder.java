package dev.mos.config;

import java.util.List;

/** Builds the typed configuration records from the layered settings, checking what spans several keys. */
final class ConfigBinder {

    private ConfigBinder() {
    }

    static MosConfig bind(Settings s) {
        return new MosConfig(
                new MosConfig.Server(s.str("server.name"), s.str("server.version"), s.str("server.host"),
                        (int) s.num("server.port"), s.list("server.authTokens"), s.optionalStr("server.tokensFile"),
                        s.list("server.allowedOrigins"), (long) s.num("server.maxRequestBytes"),
                        (long) s.num("server.shutdownTimeoutMs"), s.bool("server.allowRemoteWithoutAuth"),
                        s.bool("server.publicMetrics"), s.optionalStr("server.cookieSecret"),
                        (long) s.num("server.cookieTtlMs"), tls(s)),
                new MosConfig.Health((int) s.num("health.maxMemoryMB"), (long) s.num("health.maxResponseTimeMS"),
                        s.num("health.maxErrorRate"), (long) s.num("health.healthCheckInterval")),
                new MosConfig.Session((int) s.num("session.maxEventsPerSession"),
                        (long) s.num("session.sessionTimeoutMs")),
                new MosConfig.Streaming((long) s.num("streaming.slowThresholdMs"),
                        (int) s.num("streaming.bufferSize")),
                new MosConfig.Logging(s.str("logging.level"), s.bool("logging.includeStack"),
                        s.str("logging.format")),
                new MosConfig.CircuitBreaker((float) s.num("circuitBreaker.failureRateThreshold"),
                        (int) s.num("circuitBreaker.minimumCalls"),
                        (int) s.num("circuitBreaker.slidingWindowSize"),
                        (long) s.num("circuitBreaker.waitInOpenMs")),
                new MosConfig.Storage(s.str("storage.backend"), s.str("storage.dataDir"),
                        s.optionalStr("storage.databaseUrl"), (long) s.num("storage.retentionMs"),
                        s.str("storage.durability")),
                new MosConfig.Privacy(s.bool("privacy.redact"), s.regexes("privacy.redactPatterns"),
                        s.str("privacy.promptCapture"), s.str("privacy.toolIoCapture"),
                        (int) s.num("privacy.excerptChars"), (int) s.num("privacy.maxToolIoChars")),
                otlpExport(s),
                new MosConfig.Limits((long) s.num("limits.requestsPerSecond"), (long) s.num("limits.bytesPerSecond"),
                        s.bool("limits.exemptLoopback"), (int) s.num("limits.newSessionsPerHour")),
                new MosConfig.Pricing(s.optionalStr("pricing.file")));
    }

    private static MosConfig.Tls tls(Settings s) {
        String cert = s.optionalStr("server.tls.certFile");
        String key = s.optionalStr("server.tls.keyFile");
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            String missing = cert == null ? "server.tls.certFile (MCP_TLS_CERT_FILE)" : "server.tls.keyFile (MCP_TLS_KEY_FILE)";
            throw new ConfigException("server.tls needs both certFile and keyFile: " + missing + " is not set");
        }
        return new MosConfig.Tls(cert, key);
    }

    private static MosConfig.OtlpExport otlpExport(Settings s) {
        String endpoint = s.optionalStr("otlpExport.endpoint");
        if (endpoint != null) {
            String problem = OtlpEndpoints.problem(endpoint);
            if (problem != null) {
                throw new ConfigException("otlpExport.endpoint (from " + s.source("otlpExport.endpoint")
                        + ") " + problem);
            }
        }
        String serviceName = s.optionalStr("otlpExport.serviceName");
        return new MosConfig.OtlpExport(endpoint == null ? "" : endpoint, s.str("otlpExport.protocol"),
                s.headers("otlpExport.headers"), (long) s.num("otlpExport.timeoutMs"),
                (int) s.num("otlpExport.queueSize"), (int) s.num("otlpExport.maxBatchSize"),
                (long) s.num("otlpExport.flushIntervalMs"),
                serviceName == null ? s.str("server.name") : serviceName, s.bool("otlpExport.allowRuntimeConfig"));
    }
}
