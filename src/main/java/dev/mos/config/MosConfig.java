package dev.mos.config;

import java.util.List;

/** The whole, validated configuration. Key names match the config file (see {@link ConfigKeys}). */
public record MosConfig(
        Server server,
        Health health,
        Session session,
        Streaming streaming,
        Logging logging,
        CircuitBreaker circuitBreaker,
        Storage storage,
        Privacy privacy,
        OtlpExport otlpExport,
        Limits limits,
        Pricing pricing) {

    /** Model prices laid over the shipped list ({@code file}: null for the shipped list alone). */
    public record Pricing(String file) {
    }

    /**
     * Budgets per client (dev.mos.limits): 0 turns a budget off; loopback callers are exempt by address;
     * newSessionsPerHour caps the sessions each token starts.
     */
    public record Limits(long requestsPerSecond, long bytesPerSecond, boolean exemptLoopback, int newSessionsPerHour) {
    }

    /** TLS served directly from PEM files (server.tls.*), re-read when they change. */
    public record Tls(String certFile, String keyFile) {
    }

    public record Server(
            String name,
            String version,
            String host,
            int port,
            List<String> authTokens,
            String tokensFile, // null when none is configured
            List<String> allowedOrigins,
            long maxRequestBytes,
            long shutdownTimeoutMs,
            boolean allowRemoteWithoutAuth,
            boolean publicMetrics,
            String cookieSecret, // null: a random key per process
            long cookieTtlMs,
            Tls tls) { // null: plain HTTP

        public Server {
            authTokens = List.copyOf(authTokens);
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        /** Tokens and the cookie key are secrets: counted, never shown. */
        @Override
        public String toString() {
            return "Server[name=" + name + ", version=" + version + ", host=" + host + ", port=" + port
                    + ", authTokens=" + authTokens.size() + " (hidden), tokensFile=" + tokensFile + ", allowedOrigins="
                    + allowedOrigins + ", maxRequestBytes=" + maxRequestBytes + ", shutdownTimeoutMs="
                    + shutdownTimeoutMs + ", allowRemoteWithoutAuth=" + allowRemoteWithoutAuth + ", publicMetrics="
                    + publicMetrics + ", cookieSecret=" + (cookieSecret == null ? "random" : "(hidden)")
                    + ", cookieTtlMs=" + cookieTtlMs + ", tls=" + tls + "]";
        }

        public boolean authRequired() {
            return !authTokens.isEmpty() || tokensFile != null;
        }
    }

    public record Health(int maxMemoryMB, long maxResponseTimeMS, double maxErrorRate, long healthCheckInterval) {
    }

    public record Session(int maxEventsPerSession, long sessionTimeoutMs) {
    }

    public record Streaming(long slowThresholdMs, int bufferSize) {
    }

    public record Logging(String level, boolean includeStack, String format) {

        public boolean json() {
            return "json".equals(format);
        }
    }

    /**
     * Where sessions live. {@code databaseUrl} may hold a password: never log it, use
     * {@code DatabaseUrl.redacted()}. {@code retentionMs} is how long an inactive session stays in a durable store.
     */
    /**
     * @param durability {@code process}: an acknowledged event survives the process being killed (SQLite WAL,
     *     {@code synchronous=NORMAL}: committed pages are in the OS's hands before the answer); {@code power}: also
     *     a power loss or OS crash ({@code synchronous=FULL}, an fsync per commit). PostgreSQL follows its own
     *     {@code fsync}/{@code synchronous_commit} settings.
     */
    public record Storage(String backend, String dataDir, String databaseUrl, long retentionMs, String durability) {

        public boolean durable() {
            return !"memory".equals(backend);
        }

        /** True when a commit must reach the disk before it is acknowledged (storage.durability=power). */
        public boolean fsyncEachCommit() {
            return "power".equals(durability);
        }

        @Override
        public String toString() {
            return "Storage[backend=" + backend + ", dataDir=" + dataDir + ", retentionMs=" + retentionMs
                    + ", durability=" + durability + "]";
        }
    }

    public record CircuitBreaker(float failureRateThreshold, int minimumCalls, int slidingWindowSize,
            long waitInOpenMs) {
    }

    /**
     * What of an agent's free text is kept, and how secrets are scrubbed before anything is stored or logged. A
     * capture level is {@code none} (metadata only), {@code excerpt} (cut to {@code excerptChars} for prompts and
     * responses, {@code maxToolIoChars} for tool inputs and outputs) or {@code full} (up to the event limit of
     * 10,000 characters per value). {@code redactPatterns} are extra Java regexes, applied after the built-in ones.
     */
    public record Privacy(boolean redact, List<String> redactPatterns, String promptCapture, String toolIoCapture,
            int excerptChars, int maxToolIoChars) {

        public static final String NONE = "none";
        public static final String EXCERPT = "excerpt";
        public static final String FULL = "full";
        public static final Privacy DEFAULTS = new Privacy(true, List.of(), EXCERPT, EXCERPT, 200, 2_000);

        public Privacy {
            redactPatterns = List.copyOf(redactPatterns);
        }
    }

    /**
     * Forwarding sessions as OTLP traces (dev.mos.export). {@code endpoint} empty = off. {@code headers} are
     * credentials (an API key for Langfuse, Honeycomb...): never logged or shown, {@link #toString} leaves them out.
     * {@code protocol} is only http/protobuf: see DEPLOYMENT.md, Trace export, for why gRPC is not bundled.
     */
    public record OtlpExport(String endpoint, String protocol, java.util.Map<String, String> headers, long timeoutMs,
            int queueSize, int maxBatchSize, long flushIntervalMs, String serviceName, boolean allowRuntimeConfig) {

        public OtlpExport {
            headers = java.util.Map.copyOf(headers);
        }

        public boolean enabled() {
            return endpoint != null && !endpoint.isBlank();
        }

        @Override
        public String toString() {
            return "OtlpExport[endpoint=" + endpoint + ", protocol=" + protocol + ", headers=" + headers.size()
                    + " (hidden), timeoutMs=" + timeoutMs + ", queueSize=" + queueSize + ", maxBatchSize="
                    + maxBatchSize + ", flushIntervalMs=" + flushIntervalMs + ", serviceName=" + serviceName
                    + ", allowRuntimeConfig=" + allowRuntimeConfig + "]";
        }
    }
}
