package dev.mos.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
            Map.entry("MCP_PRICING_FILE", "pricing.file"),
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

    private final JsonMapper json = JsonMapper.builder().build();

    public LoadedConfig load(ConfigOverrides overrides) {
        Settings settings = new Settings();
        List<String> warnings = new ArrayList<>();

        Path file = chooseFile(overrides);
        if (file != null) {
            readFile(file, settings, warnings);
        }
        applyEnvironment(overrides.environment(), settings, warnings);
        overrides.flags().forEach((key, value) -> {
            if (!ConfigKeys.ALL.containsKey(key)) {
                throw new IllegalArgumentException("unknown configuration key in flags: " + key);
            }
            settings.put(key, value, "command line");
        });
        return new LoadedConfig(withDataDirUnderHome(ConfigBinder.bind(settings), overrides.environment()),
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
                config.privacy(), config.otlpExport(), config.limits(), config.pricing());
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

    private void readFile(Path file, Settings settings, List<String> warnings) {
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
            Settings settings, List<String> warnings) {
        for (Map.Entry<String, JsonNode> entry : section.properties()) {
            String path = name + "." + entry.getKey();
            if (entry.getValue().isObject() && ConfigKeys.isSection(path)) {
                readSection(path, entry.getValue(), source, file, settings, warnings);
            } else if (!ConfigKeys.ALL.containsKey(path)) {
                warnings.add("unknown config key '" + path + "' in " + file + " is ignored");
            } else {
                settings.put(path, entry.getValue(), source);
            }
        }
    }

    private static void applyEnvironment(Map<String, String> env, Settings settings,
            List<String> warnings) {
        String nodeEnv = env.get("NODE_ENV");
        if (nodeEnv != null && !nodeEnv.isBlank()) {
            switch (nodeEnv.trim().toLowerCase(Locale.ROOT)) {
                case "production" -> {
                    settings.put("logging.level", "warn", "NODE_ENV=production");
                    settings.put("logging.includeStack", "false", "NODE_ENV=production");
                    settings.put("logging.format", "json", "NODE_ENV=production");
                }
                case "development" -> {
                    settings.put("logging.includeStack", "true", "NODE_ENV=development");
                    settings.put("logging.format", "text", "NODE_ENV=development");
                }
                default -> warnings.add("NODE_ENV=" + nodeEnv + " is neither production nor development; ignored");
            }
        }
        String debug = env.get("DEBUG");
        if (debug != null && Arrays.stream(debug.split(",")).map(String::trim)
                .anyMatch(d -> d.equals("*") || d.startsWith("mcp:") || d.equals("mcp"))) {
            settings.put("logging.level", "debug", "DEBUG=" + debug);
        }
        ENV_KEYS.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                settings.put(key, value, variable);
            }
        });
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
