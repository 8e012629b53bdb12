package dev.mos.config;

import dev.mos.config.ConfigKeys.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads the configuration in layers: defaults &lt; config file &lt; environment &lt; flags. The file is the one
 * named by a flag, else by {@code MCP_CONFIG_PATH}, else {@code config/production.json} when it exists.
 */
public final class ConfigLoader {

    public static final Path DEFAULT_FILE = Path.of("config", "production.json");

    /** Environment variables and the key each one sets, as the seed deployment guide documents them. */
    static final Map<String, String> ENV_KEYS = Map.ofEntries(
            Map.entry("MCP_STORE", "storage.backend"),
            Map.entry("MCP_DATA_DIR", "storage.dataDir"),
            Map.entry("MCP_DATABASE_URL", "storage.databaseUrl"),
            Map.entry("MCP_RETENTION_MS", "storage.retentionMs"),
            Map.entry("MCP_DURABILITY", "storage.durability"),
            Map.entry("MCP_LOG_LEVEL", "logging.level"),
            Map.entry("MCP_MAX_MEMORY_MB", "health.maxMemoryMB"),
            Map.entry("MCP_SESSION_TIMEOUT_MS", "session.sessionTimeoutMs"),
            Map.entry("MCP_MAX_EVENTS_PER_SESSION", "session.maxEventsPerSession"),
            Map.entry("MCP_HEALTH_CHECK_INTERVAL_MS", "health.healthCheckInterval"),
            Map.entry("MCP_HOST", "server.host"),
            Map.entry("MCP_PORT", "server.port"),
            Map.entry("MCP_AUTH_TOKEN", "server.authTokens"),
            Map.entry("MCP_TOKENS_FILE", "server.tokensFile"),
            Map.entry("MCP_COOKIE_SECRET", "server.cookieSecret"),
            Map.entry("MCP_TLS_CERT_FILE", "server.tls.certFile"),
            Map.entry("MCP_TLS_KEY_FILE", "server.tls.keyFile"),
            Map.entry("MCP_ALLOWED_ORIGINS", "server.allowedOrigins"),
            Map.entry("MCP_PUBLIC_METRICS", "server.publicMetrics"),
            Map.entry("MCP_RATE_LIMIT_RPS", "limits.requestsPerSecond"),
            Map.entry("MCP_RATE_LIMIT_BYTES", "limits.bytesPerSecond"),
            Map.entry("MCP_SESSIONS_PER_HOUR", "limits.newSessionsPerHour"),
            Map.entry("MCP_REDACT", "privacy.redact"),
            Map.entry("MCP_REDACT_PATTERNS", "privacy.redactPatterns"),
            Map.entry("MCP_CAPTURE_PROMPTS", "privacy.promptCapture"),
            Map.entry("MCP_CAPTURE_TOOL_IO", "privacy.toolIoCapture"),
            Map.entry("MCP_EXCERPT_CHARS", "privacy.excerptChars"),
            Map.entry("MCP_MAX_TOOL_IO_CHARS", "privacy.maxToolIoChars"),
            // not OTEL_EXPORTER_OTLP_*: users set those for Claude Code to point at MOS itself
            Map.entry("MCP_OTLP_EXPORT_ENDPOINT", "otlpExport.endpoint"),
            Map.entry("MCP_OTLP_EXPORT_HEADERS", "otlpExport.headers"),
            Map.entry("MCP_OTLP_EXPORT_PROTOCOL", "otlpExport.protocol"));

    private record Setting(Object raw, String source) {
    }

    private static final JsonMapper ENV_JSON = JsonMapper.builder().build();

    private final JsonMapper json = JsonMapper.builder().build();

    public LoadedConfig load(ConfigOverrides overrides) {
        Map<String, Setting> settings = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        ConfigKeys.ALL.values().forEach(k -> settings.put(k.path(), new Setting(k.defaultValue(), "default")));

        Path file = chooseFile(overrides);
        if (file != null) {
            readFile(file, settings, warnings);
        }
        applyEnvironment(overrides.environment(), settings, warnings);
        overrides.flags().forEach((key, value) -> {
            if (!ConfigKeys.ALL.containsKey(key)) {
                throw new IllegalArgumentException("unknown configuration key in flags: " + key);
            }
            settings.put(key, new Setting(value, "command line"));
        });
        return new LoadedConfig(withDataDirUnderHome(bind(settings), overrides.environment()),
                file == null ? "built-in defaults" : file.toString(), warnings);
    }

    /**
     * A relative data dir is taken from MOS_HOME when the launcher sets it, so that every process started through
     * ./mos (serve here, stdio from Claude Code in another directory) uses the same SQLite file.
     */
    private static MosConfig withDataDirUnderHome(MosConfig config, Map<String, String> env) {
        String home = env.get("MOS_HOME");
        Path dataDir = Path.of(config.storage().dataDir());
        if (home == null || home.isBlank() || dataDir.isAbsolute()) {
            return config;
        }
        MosConfig.Storage s = config.storage();
        return new MosConfig(config.server(), config.health(), config.session(), config.streaming(),
                config.logging(), config.circuitBreaker(), new MosConfig.Storage(s.backend(),
                        Path.of(home).resolve(dataDir).normalize().toString(), s.databaseUrl(), s.retentionMs(),
                        s.durability()),
                config.privacy(), config.otlpExport(), config.limits());
    }

    private static Path chooseFile(ConfigOverrides overrides) {
        if (overrides.configFile() != null) {
            return requireExists(overrides.configFile(), "--config");
        }
        String fromEnv = overrides.environment().get("MCP_CONFIG_PATH");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return requireExists(Path.of(fromEnv), "MCP_CONFIG_PATH");
        }
        return Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
    }

    private static Path requireExists(Path file, String origin) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " (from " + origin + ") does not exist or is not a file");
        }
        return file;
    }

    private void readFile(Path file, Map<String, Setting> settings, List<String> warnings) {
        JsonNode root;
        try {
            root = json.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        } catch (JacksonException e) {
            throw new ConfigException("config file " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config file " + file + " must hold a JSON object");
        }
        String source = "file " + file;
        for (Map.Entry<String, JsonNode> section : root.properties()) {
            String name = section.getKey();
            if (!ConfigKeys.isSection(name)) {
                warnings.add("unknown config section '" + name + "' in " + file + " is ignored");
                continue;
            }
            if (!section.getValue().isObject()) {
                throw new ConfigException(name + " (from " + source + ") must be an object");
            }
            readSection(name, section.getValue(), source, file, settings, warnings);
        }
    }

    /** A section's keys; a nested object is a sub-section when keys exist under it (server.tls.certFile). */
    private static void readSection(String name, JsonNode section, String source, Path file,
            Map<String, Setting> settings, List<String> warnings) {
        for (Map.Entry<String, JsonNode> entry : section.properties()) {
            String path = name + "." + entry.getKey();
            if (entry.getValue().isObject() && ConfigKeys.isSection(path)) {
                readSection(path, entry.getValue(), source, file, settings, warnings);
            } else if (!ConfigKeys.ALL.containsKey(path)) {
                warnings.add("unknown config key '" + path + "' in " + file + " is ignored");
            } else {
                settings.put(path, new Setting(entry.getValue(), source));
            }
        }
    }

    private static void applyEnvironment(Map<String, String> env, Map<String, Setting> settings,
            List<String> warnings) {
        String nodeEnv = env.get("NODE_ENV");
        if (nodeEnv != null && !nodeEnv.isBlank()) {
            switch (nodeEnv.trim().toLowerCase(Locale.ROOT)) {
                case "production" -> {
                    settings.put("logging.level", new Setting("warn", "NODE_ENV=production"));
                    settings.put("logging.includeStack", new Setting("false", "NODE_ENV=production"));
                    settings.put("logging.format", new Setting("json", "NODE_ENV=production"));
                }
                case "development" -> {
                    settings.put("logging.includeStack", new Setting("true", "NODE_ENV=development"));
                    settings.put("logging.format", new Setting("text", "NODE_ENV=development"));
                }
                default -> warnings.add("NODE_ENV=" + nodeEnv + " is neither production nor development; ignored");
            }
        }
        String debug = env.get("DEBUG");
        if (debug != null && Arrays.stream(debug.split(",")).map(String::trim)
                .anyMatch(d -> d.equals("*") || d.startsWith("mcp:") || d.equals("mcp"))) {
            settings.put("logging.level", new Setting("debug", "DEBUG=" + debug));
        }
        ENV_KEYS.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                settings.put(key, new Setting(value, variable));
            }
        });
    }

    private static MosConfig bind(Map<String, Setting> s) {
        return new MosConfig(
                new MosConfig.Server(str(s, "server.name"), str(s, "server.version"), str(s, "server.host"),
                        (int) num(s, "server.port"), list(s, "server.authTokens"), optionalStr(s, "server.tokensFile"),
                        list(s, "server.allowedOrigins"), (long) num(s, "server.maxRequestBytes"),
                        (long) num(s, "server.shutdownTimeoutMs"), bool(s, "server.allowRemoteWithoutAuth"),
                        bool(s, "server.publicMetrics"), optionalStr(s, "server.cookieSecret"),
                        (long) num(s, "server.cookieTtlMs"), tls(s)),
                new MosConfig.Health((int) num(s, "health.maxMemoryMB"), (long) num(s, "health.maxResponseTimeMS"),
                        num(s, "health.maxErrorRate"), (long) num(s, "health.healthCheckInterval")),
                new MosConfig.Session((int) num(s, "session.maxEventsPerSession"),
                        (long) num(s, "session.sessionTimeoutMs")),
                new MosConfig.Streaming((long) num(s, "streaming.slowThresholdMs"),
                        (int) num(s, "streaming.bufferSize")),
                new MosConfig.Logging(str(s, "logging.level"), bool(s, "logging.includeStack"),
                        str(s, "logging.format")),
                new MosConfig.CircuitBreaker((float) num(s, "circuitBreaker.failureRateThreshold"),
                        (int) num(s, "circuitBreaker.minimumCalls"),
                        (int) num(s, "circuitBreaker.slidingWindowSize"),
                        (long) num(s, "circuitBreaker.waitInOpenMs")),
                new MosConfig.Storage(str(s, "storage.backend"), str(s, "storage.dataDir"),
                        optionalStr(s, "storage.databaseUrl"), (long) num(s, "storage.retentionMs"),
                        str(s, "storage.durability")),
                new MosConfig.Privacy(bool(s, "privacy.redact"), regexes(s, "privacy.redactPatterns"),
                        str(s, "privacy.promptCapture"), str(s, "privacy.toolIoCapture"),
                        (int) num(s, "privacy.excerptChars"), (int) num(s, "privacy.maxToolIoChars")),
                otlpExport(s),
                new MosConfig.Limits((long) num(s, "limits.requestsPerSecond"), (long) num(s, "limits.bytesPerSecond"),
                        bool(s, "limits.exemptLoopback"), (int) num(s, "limits.newSessionsPerHour")));
    }

    private static MosConfig.Tls tls(Map<String, Setting> s) {
        String cert = optionalStr(s, "server.tls.certFile");
        String key = optionalStr(s, "server.tls.keyFile");
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            String missing = cert == null ? "server.tls.certFile (MCP_TLS_CERT_FILE)" : "server.tls.keyFile (MCP_TLS_KEY_FILE)";
            throw new ConfigException("server.tls needs both certFile and keyFile: " + missing + " is not set");
        }
        return new MosConfig.Tls(cert, key);
    }

    private static MosConfig.OtlpExport otlpExport(Map<String, Setting> s) {
        String endpoint = optionalStr(s, "otlpExport.endpoint");
        if (endpoint != null) {
            String problem = OtlpEndpoints.problem(endpoint);
            if (problem != null) {
                throw new ConfigException("otlpExport.endpoint (from " + s.get("otlpExport.endpoint").source()
                        + ") " + problem);
            }
        }
        String serviceName = optionalStr(s, "otlpExport.serviceName");
        return new MosConfig.OtlpExport(endpoint == null ? "" : endpoint, str(s, "otlpExport.protocol"),
                headers(s, "otlpExport.headers"), (long) num(s, "otlpExport.timeoutMs"),
                (int) num(s, "otlpExport.queueSize"), (int) num(s, "otlpExport.maxBatchSize"),
                (long) num(s, "otlpExport.flushIntervalMs"),
                serviceName == null ? str(s, "server.name") : serviceName, bool(s, "otlpExport.allowRuntimeConfig"));
    }

    /**
     * Export headers: {@code k=v,k2=v2} text (the OTEL_EXPORTER_OTLP_HEADERS form) or a JSON object. They are
     * credentials, so an error names the key and the position, never the value.
     */
    private static Map<String, String> headers(Map<String, Setting> s, String path) {
        Setting setting = s.get(path);
        Object raw = setting.raw();
        if (raw instanceof JsonNode node && node.isObject()) {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isString()) {
                    throw new ConfigException(path + " (from " + setting.source() + "): header '" + e.getKey()
                            + "' must have a string value");
                }
                out.put(e.getKey(), e.getValue().stringValue());
            }
            String problem = OtlpEndpoints.headersProblem(out);
            if (problem != null) {
                throw new ConfigException(path + " (from " + setting.source() + "): " + problem);
            }
            return out;
        }
        String text = switch (raw) {
            case String t -> t;
            case JsonNode node when node.isString() -> node.stringValue();
            default -> throw new ConfigException(path + " (from " + setting.source()
                    + ") must be a string k=v,k2=v2 or an object of strings");
        };
        try {
            return OtlpEndpoints.parseHeaders(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + " (from " + setting.source() + "): " + e.getMessage());
        }
    }

    /**
     * Regexes contain commas, so unlike other lists a string is not split: it is one expression, or, when it starts
     * with {@code [}, a JSON array of them (the form for an environment variable holding several).
     */
    private static List<String> regexes(Map<String, Setting> s, String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = s.get(path);
        Object raw = setting.raw();
        if (raw instanceof String text && text.trim().startsWith("[")) {
            try {
                raw = ENV_JSON.readTree(text);
            } catch (JacksonException e) {
                throw new ConfigException(path + " (from " + setting.source() + ") starts with '[' but is not a "
                        + "JSON array of strings: " + e.getOriginalMessage());
            }
        }
        List<String> values = strings(raw, text -> List.of(text), key, setting);
        List<String> patterns = values.stream().filter(v -> !v.isBlank()).toList();
        for (int i = 0; i < patterns.size(); i++) {
            try {
                Pattern.compile(patterns.get(i));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(path + "[" + i + "] (from " + setting.source() + ") is not a valid Java "
                        + "regular expression: " + e.getDescription() + " near index " + e.getIndex() + " of \""
                        + patterns.get(i) + "\"");
            }
        }
        return patterns;
    }

    /** The strings of a list setting: defaults, a JSON array, or text that {@code split} turns into items. */
    private static List<String> strings(Object raw, Function<String, List<String>> split, Key key, Setting setting) {
        List<String> values = new ArrayList<>();
        switch (raw) {
            case List<?> defaults -> defaults.forEach(v -> values.add(v.toString()));
            case String text -> values.addAll(split.apply(text));
            case JsonNode node when node.isString() -> values.addAll(split.apply(node.stringValue()));
            case JsonNode node when node.isArray() -> {
                for (JsonNode item : node) {
                    if (!item.isString()) {
                        throw invalid(key, setting);
                    }
                    values.add(item.stringValue());
                }
            }
            default -> throw invalid(key, setting);
        }
        return values;
    }

    private static ConfigException invalid(Key key, Setting setting) {
        Object raw = setting.raw();
        String shown = raw instanceof String text ? "\"" + text + "\"" : String.valueOf(raw);
        return new ConfigException(key.path() + " (from " + setting.source() + ") must be " + key.rule()
                + ", got " + shown);
    }

    private static String str(Map<String, Setting> s, String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = s.get(path);
        String value = switch (setting.raw()) {
            case String text -> text.trim();
            case JsonNode node when node.isString() -> node.stringValue().trim();
            default -> throw invalid(key, setting);
        };
        if (key.type() == ConfigKeys.Type.CHOICE) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (!key.choices().contains(lower)) {
                throw invalid(key, setting);
            }
            return lower;
        }
        if (value.isEmpty()) {
            throw new ConfigException(path + " (from " + setting.source() + ") must not be empty");
        }
        return value;
    }

    /** A string that may be left empty; empty reads as null. */
    private static String optionalStr(Map<String, Setting> s, String path) {
        Setting setting = s.get(path);
        String value = switch (setting.raw()) {
            case String text -> text.trim();
            case JsonNode node when node.isString() -> node.stringValue().trim();
            default -> throw new ConfigException(path + " (from " + setting.source() + ") must be a string");
        };
        return value.isEmpty() ? null : value;
    }

    private static double num(Map<String, Setting> s, String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = s.get(path);
        boolean integral = key.type() != ConfigKeys.Type.DOUBLE;
        double value;
        switch (setting.raw()) {
            case Number n -> value = n.doubleValue();
            case String text -> {
                try {
                    value = integral ? Long.parseLong(text.trim()) : Double.parseDouble(text.trim());
                } catch (NumberFormatException e) {
                    throw invalid(key, setting);
                }
            }
            case JsonNode node when integral && node.isIntegralNumber() && node.canConvertToLong() ->
                    value = node.longValue();
            case JsonNode node when !integral && node.isNumber() -> value = node.doubleValue();
            default -> throw invalid(key, setting);
        }
        if (Double.isNaN(value) || value < key.min() || value > key.max()) {
            throw invalid(key, setting);
        }
        return value;
    }

    private static boolean bool(Map<String, Setting> s, String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = s.get(path);
        return switch (setting.raw()) {
            case Boolean b -> b;
            case String text when text.trim().equalsIgnoreCase("true") -> true;
            case String text when text.trim().equalsIgnoreCase("false") -> false;
            case JsonNode node when node.isBoolean() -> node.booleanValue();
            default -> throw invalid(key, setting);
        };
    }

    private static List<String> list(Map<String, Setting> s, String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = s.get(path);
        List<String> values = strings(setting.raw(), text -> Arrays.asList(text.split(",")), key, setting);
        return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /**
     * Every environment variable the server's configuration reads: the key overrides plus the file choice, the
     * logging presets and the launcher's home. Deployment manifests may set only these (checked by their tests).
     */
    public static java.util.SortedSet<String> environmentVariables() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>(ENV_KEYS.keySet());
        names.addAll(List.of("MCP_CONFIG_PATH", "NODE_ENV", "DEBUG", "MOS_HOME"));
        return names;
    }

    /** Every configuration key ({@code section.key}) a config file may hold. */
    public static java.util.SortedSet<String> keys() {
        return new java.util.TreeSet<>(ConfigKeys.ALL.keySet());
    }
}
