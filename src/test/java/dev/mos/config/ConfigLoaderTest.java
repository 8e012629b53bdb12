package dev.mos.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private Path file(String json) throws IOException {
        Path file = Files.createTempFile(dir, "config", ".json");
        Files.writeString(file, json);
        return file;
    }

    /** Loads with an explicit file (an empty object unless given) so that the project's own file never leaks in. */
    private LoadedConfig load(String json, Map<String, String> env, Map<String, String> flags) throws IOException {
        return loader.load(new ConfigOverrides(file(json), flags, env));
    }

    private MosConfig config(Map<String, String> env) throws IOException {
        return load("{}", env, Map.of()).config();
    }

    @Test
    void emptyFileGivesTheDefaults() throws IOException {
        LoadedConfig loaded = load("{}", Map.of(), Map.of());
        MosConfig c = loaded.config();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.server().name()).isEqualTo("mcp-observability-server");
        assertThat(c.server().version()).isEqualTo("1.0.0");
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(3000);
        assertThat(c.server().authTokens()).isEmpty();
        assertThat(c.server().authRequired()).isFalse();
        assertThat(c.server().allowedOrigins()).isEmpty();
        assertThat(c.server().maxRequestBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(c.server().shutdownTimeoutMs()).isEqualTo(8_000);
        assertThat(c.server().allowRemoteWithoutAuth()).isFalse();
        assertThat(c.health()).isEqualTo(new MosConfig.Health(512, 1000, 0.05, 30_000));
        assertThat(c.session()).isEqualTo(new MosConfig.Session(1000, 86_400_000));
        assertThat(c.streaming()).isEqualTo(new MosConfig.Streaming(500, 100));
        assertThat(c.logging()).isEqualTo(new MosConfig.Logging("info", true, "text"));
        assertThat(c.logging().json()).isFalse();
        assertThat(c.circuitBreaker()).isEqualTo(new MosConfig.CircuitBreaker(50f, 10, 20, 30_000));
    }

    @Test
    void shippedProductionFileLoadsWithItsSeedValues() {
        Path shipped = Path.of("config", "production.json");
        assertThat(shipped).isRegularFile();

        LoadedConfig loaded = loader.load(new ConfigOverrides(shipped, Map.of(), Map.of()));
        MosConfig c = loaded.config();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.source()).isEqualTo(shipped.toString());
        assertThat(c.server().name()).isEqualTo("mcp-observability-server");
        assertThat(c.server().version()).isEqualTo("1.0.0");
        assertThat(c.health()).isEqualTo(new MosConfig.Health(512, 1000, 0.05, 30_000));
        assertThat(c.session()).isEqualTo(new MosConfig.Session(1000, 86_400_000));
        assertThat(c.streaming()).isEqualTo(new MosConfig.Streaming(500, 100));
        assertThat(c.logging().level()).isEqualTo("warn");
        assertThat(c.logging().includeStack()).isFalse();
    }

    @Test
    void withoutFileOrVariableTheShippedFileIsUsedFromTheWorkingDirectory() {
        LoadedConfig loaded = loader.load(ConfigOverrides.none());

        assertThat(loaded.source()).isEqualTo(ConfigLoader.DEFAULT_FILE.toString());
        assertThat(loaded.config().logging().level()).isEqualTo("warn");
    }

    @Test
    void configPathVariableNamesTheFile() throws IOException {
        Path f = file("{\"server\": {\"port\": 4321}}");

        LoadedConfig loaded = loader.load(new ConfigOverrides(null, Map.of(), Map.of("MCP_CONFIG_PATH",
                f.toString())));

        assertThat(loaded.source()).isEqualTo(f.toString());
        assertThat(loaded.config().server().port()).isEqualTo(4321);
    }

    @Test
    void precedenceIsDefaultsThenFileThenEnvironmentThenFlags() throws IOException {
        String json = "{\"server\": {\"port\": 4000, \"host\": \"0.0.0.0\"}, \"session\": {\"maxEventsPerSession\": 50}}";
        Map<String, String> env = Map.of("MCP_PORT", "5000", "MCP_MAX_EVENTS_PER_SESSION", "60");
        Map<String, String> flags = Map.of("server.port", "6000");

        MosConfig all = load(json, env, flags).config();
        assertThat(all.server().port()).isEqualTo(6000);
        assertThat(all.session().maxEventsPerSession()).isEqualTo(60);
        assertThat(all.server().host()).isEqualTo("0.0.0.0");
        assertThat(all.streaming().bufferSize()).isEqualTo(100);

        MosConfig noFlags = load(json, env, Map.of()).config();
        assertThat(noFlags.server().port()).isEqualTo(5000);

        MosConfig fileOnly = load(json, Map.of(), Map.of()).config();
        assertThat(fileOnly.server().port()).isEqualTo(4000);
        assertThat(fileOnly.session().maxEventsPerSession()).isEqualTo(50);

        assertThat(config(Map.of()).server().port()).isEqualTo(3000);
    }

    @Test
    void eachDocumentedEnvironmentVariableSetsItsKey() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MCP_LOG_LEVEL", "error");
        env.put("MCP_MAX_MEMORY_MB", "2048");
        env.put("MCP_SESSION_TIMEOUT_MS", "60000");
        env.put("MCP_MAX_EVENTS_PER_SESSION", "5000");
        env.put("MCP_HEALTH_CHECK_INTERVAL_MS", "1000");
        env.put("MCP_HOST", "0.0.0.0");
        env.put("MCP_PORT", "8080");
        env.put("MCP_ALLOWED_ORIGINS", "http://localhost:5173");

        MosConfig c = config(env);

        assertThat(c.logging().level()).isEqualTo("error");
        assertThat(c.health().maxMemoryMB()).isEqualTo(2048);
        assertThat(c.session().sessionTimeoutMs()).isEqualTo(60_000);
        assertThat(c.session().maxEventsPerSession()).isEqualTo(5000);
        assertThat(c.health().healthCheckInterval()).isEqualTo(1000);
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().allowedOrigins()).containsExactly("http://localhost:5173");
    }

    @Test
    void publicMetricsIsOffByDefaultAndSetByItsVariable() throws IOException {
        assertThat(config(Map.of()).server().publicMetrics()).isFalse();
        assertThat(config(Map.of("MCP_PUBLIC_METRICS", "true")).server().publicMetrics()).isTrue();
        assertThatThrownBy(() -> config(Map.of("MCP_PUBLIC_METRICS", "yes")))
                .hasMessageContaining("server.publicMetrics").hasMessageContaining("MCP_PUBLIC_METRICS");
    }

    @Test
    void environmentVariablesListsEveryVariableTheLoaderReads() {
        assertThat(ConfigLoader.environmentVariables()).containsAll(ConfigLoader.ENV_KEYS.keySet())
                .contains("MCP_CONFIG_PATH", "NODE_ENV", "DEBUG", "MOS_HOME", "MCP_PUBLIC_METRICS");
        assertThat(ConfigLoader.keys()).containsAll(ConfigLoader.ENV_KEYS.values()).contains("server.publicMetrics");
    }

    @Test
    void nodeEnvProductionGivesWarnJsonAndNoStacks() throws IOException {
        MosConfig c = config(Map.of("NODE_ENV", "production"));

        assertThat(c.logging().level()).isEqualTo("warn");
        assertThat(c.logging().format()).isEqualTo("json");
        assertThat(c.logging().json()).isTrue();
        assertThat(c.logging().includeStack()).isFalse();
    }

    @Test
    void nodeEnvDevelopmentGivesTextWithStacks() throws IOException {
        MosConfig c = load("{\"logging\": {\"includeStack\": false, \"format\": \"json\"}}",
                Map.of("NODE_ENV", "development"), Map.of()).config();

        assertThat(c.logging().format()).isEqualTo("text");
        assertThat(c.logging().includeStack()).isTrue();
    }

    @Test
    void unknownNodeEnvIsAWarning() throws IOException {
        LoadedConfig loaded = load("{}", Map.of("NODE_ENV", "staging"), Map.of());

        assertThat(loaded.warnings()).singleElement().asString().contains("NODE_ENV=staging");
        assertThat(loaded.config().logging().level()).isEqualTo("info");
    }

    @Test
    void mcpLogLevelWinsOverNodeEnvAndDebug() throws IOException {
        assertThat(config(Map.of("NODE_ENV", "production", "MCP_LOG_LEVEL", "debug")).logging().level())
                .isEqualTo("debug");
        assertThat(config(Map.of("NODE_ENV", "production", "MCP_LOG_LEVEL", "DEBUG")).logging().level())
                .isEqualTo("debug");
        assertThat(config(Map.of("DEBUG", "mcp:*", "MCP_LOG_LEVEL", "error")).logging().level())
                .isEqualTo("error");
    }

    @Test
    void debugVariableNamingMcpGivesDebug() throws IOException {
        assertThat(config(Map.of("DEBUG", "mcp:*")).logging().level()).isEqualTo("debug");
        assertThat(config(Map.of("DEBUG", "express:*, mcp:server")).logging().level()).isEqualTo("debug");
        assertThat(config(Map.of("DEBUG", "*")).logging().level()).isEqualTo("debug");
        assertThat(config(Map.of("DEBUG", "express:*")).logging().level()).isEqualTo("info");
        assertThat(config(Map.of("NODE_ENV", "production", "DEBUG", "mcp:*")).logging().level())
                .isEqualTo("debug");
    }

    @Test
    void malformedJsonNamesTheFileInOneLine() throws IOException {
        Path f = file("{\"server\": {\"port\": 3000,,}");

        assertThatThrownBy(() -> loader.load(new ConfigOverrides(f, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("is not valid JSON")
                .hasMessageContaining("line 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void nonObjectFileIsRefused() throws IOException {
        Path f = file("[1, 2]");

        assertThatThrownBy(() -> loader.load(new ConfigOverrides(f, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must hold a JSON object");
    }

    @Test
    void wrongTypeInFileNamesKeySourceAndRule() throws IOException {
        Path f = file("{\"server\": {\"port\": \"abc\"}}");

        assertThatThrownBy(() -> loader.load(new ConfigOverrides(f, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.port (from file " + f + ") must be an integer between 0 and 65535, got \"abc\"");

        Path bool = file("{\"logging\": {\"includeStack\": \"yes\"}}");
        assertThatThrownBy(() -> loader.load(new ConfigOverrides(bool, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("logging.includeStack (from file " + bool + ") must be true or false");

        Path fraction = file("{\"session\": {\"maxEventsPerSession\": 10.5}}");
        assertThatThrownBy(() -> loader.load(new ConfigOverrides(fraction, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("session.maxEventsPerSession (from file ");

        Path list = file("{\"server\": {\"authTokens\": [\"a\", 1]}}");
        assertThatThrownBy(() -> loader.load(new ConfigOverrides(list, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.authTokens (from file ");

        Path section = file("{\"server\": 5}");
        assertThatThrownBy(() -> loader.load(new ConfigOverrides(section, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server (from file " + section + ") must be an object");

        Path choice = file("{\"logging\": {\"level\": \"verbose\"}}");
        assertThatThrownBy(() -> loader.load(new ConfigOverrides(choice, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("logging.level")
                .hasMessageContaining("one of trace, debug, info, warn, error")
                .hasMessageContaining("\"verbose\"");
    }

    @Test
    void outOfRangeValuesNameKeySourceAndRange() throws IOException {
        assertThatThrownBy(() -> config(Map.of("MCP_PORT", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.port (from MCP_PORT) must be an integer between 0 and 65535, got \"70000\"");

        assertThatThrownBy(() -> load("{}", Map.of(), Map.of("health.maxErrorRate", "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("health.maxErrorRate (from command line) must be a number between 0.0 and 1.0");

        Path f = file("{\"session\": {\"maxEventsPerSession\": 0}}");
        assertThatThrownBy(() -> loader.load(new ConfigOverrides(f, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("session.maxEventsPerSession (from file " + f + ")")
                .hasMessageContaining("between 1 and 10000000");

        assertThatThrownBy(() -> config(Map.of("MCP_MAX_MEMORY_MB", "lots")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("health.maxMemoryMB (from MCP_MAX_MEMORY_MB)");
    }

    @Test
    void aRefusedValueIsShownOnOneLineAndCut() {
        // found by ConfigLoaderFuzzTest: a variable's newline split the one-line start error
        assertThatThrownBy(() -> config(Map.of("MCP_PORT", "80\n\"x\": 1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.port (from MCP_PORT) must be an integer between 0 and 65535, got \"80\\n\\\"x\\\": 1\"");
        assertThatThrownBy(() -> config(Map.of("MCP_PORT", "9".repeat(500))))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("…").message().hasSizeLessThan(250);
    }

    @Test
    void emptyStringValueIsRefused() throws IOException {
        assertThatThrownBy(() -> load("{\"server\": {\"name\": \"  \"}}", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.name")
                .hasMessageContaining("must not be empty");
    }

    @Test
    void unknownKeysAndSectionsAreWarningsNotErrors() throws IOException {
        LoadedConfig loaded = load("{\"server\": {\"port\": 3100, \"colour\": \"blue\"}, \"telemetry\": {\"on\": true}}",
                Map.of(), Map.of());

        assertThat(loaded.config().server().port()).isEqualTo(3100);
        assertThat(loaded.warnings()).hasSize(2);
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("'server.colour'").contains("ignored"));
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("section 'telemetry'"));
    }

    @Test
    void unknownFlagKeyIsRefused() {
        assertThatThrownBy(() -> load("{}", Map.of(), Map.of("server.colour", "blue")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server.colour");
    }

    @Test
    void missingConfigFileIsAnError() {
        Path missing = dir.resolve("nope.json");

        assertThatThrownBy(() -> loader.load(new ConfigOverrides(missing, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("--config")
                .hasMessageContaining("does not exist");

        assertThatThrownBy(() -> loader.load(new ConfigOverrides(null, Map.of(),
                Map.of("MCP_CONFIG_PATH", missing.toString()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("MCP_CONFIG_PATH");
    }

    @Test
    void authTokenVariableIsACommaSeparatedList() throws IOException {
        MosConfig c = config(Map.of("MCP_AUTH_TOKEN", "alpha, beta,,gamma "));

        assertThat(c.server().authTokens()).containsExactly("alpha", "beta", "gamma");
        assertThat(c.server().authRequired()).isTrue();

        MosConfig fromFile = load("{\"server\": {\"authTokens\": [\"one\", \" two \"]}}", Map.of(), Map.of()).config();
        assertThat(fromFile.server().authTokens()).isEqualTo(List.of("one", "two"));
        MosConfig fromFileString = load("{\"server\": {\"authTokens\": \"x,y\"}}", Map.of(), Map.of()).config();
        assertThat(fromFileString.server().authTokens()).containsExactly("x", "y");
    }

    @Test
    void blankEnvironmentValuesAreIgnored() throws IOException {
        assertThat(config(Map.of("MCP_PORT", " ")).server().port()).isEqualTo(3000);
    }

    @Test
    void storageDefaultsToSqliteUnderDataAndFollowsTheEnvironment() throws IOException {
        MosConfig.Storage defaults = config(Map.of()).storage();
        assertThat(defaults.backend()).isEqualTo("sqlite");
        assertThat(defaults.dataDir()).isEqualTo("./data");
        assertThat(defaults.databaseUrl()).isNull();
        assertThat(defaults.retentionMs()).isZero();
        assertThat(defaults.durability()).isEqualTo("process");
        assertThat(defaults.fsyncEachCommit()).isFalse();
        assertThat(config(Map.of("MCP_DURABILITY", "power")).storage().fsyncEachCommit()).isTrue();

        MosConfig.Storage pg = config(Map.of("MCP_STORE", "postgres",
                "MCP_DATABASE_URL", "postgres://mos:s3cret@db:5432/mos", "MCP_RETENTION_MS", "60000")).storage();
        assertThat(pg.backend()).isEqualTo("postgres");
        assertThat(pg.databaseUrl()).isEqualTo("postgres://mos:s3cret@db:5432/mos");
        assertThat(pg.retentionMs()).isEqualTo(60_000);
        assertThat(pg.toString()).doesNotContain("s3cret");

        assertThat(config(Map.of("MCP_DATA_DIR", "/var/lib/mos")).storage().dataDir()).isEqualTo("/var/lib/mos");
    }

    @Test
    void aRelativeDataDirIsResolvedAgainstMosHome() throws IOException {
        assertThat(config(Map.of("MOS_HOME", "/opt/mos")).storage().dataDir()).isEqualTo("/opt/mos/data");
        assertThat(config(Map.of("MOS_HOME", "/opt/mos", "MCP_DATA_DIR", "/srv/mos")).storage().dataDir())
                .isEqualTo("/srv/mos");
    }

    @Test
    void anUnknownStoreIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> config(Map.of("MCP_STORE", "mongo")))
                .hasMessageContaining("storage.backend (from MCP_STORE) must be one of memory, sqlite, postgres");
        assertThatThrownBy(() -> config(Map.of("MCP_DURABILITY", "fsync")))
                .hasMessageContaining("storage.durability (from MCP_DURABILITY) must be one of process, power");
    }

    @Test
    void privacyKeysHaveSafeDefaultsAndComeFromFileAndEnvironment() throws IOException {
        assertThat(config(Map.of()).privacy()).isEqualTo(MosConfig.Privacy.DEFAULTS);

        MosConfig fromFile = load("""
                {"privacy": {"redact": false, "redactPatterns": ["acct-[0-9]{6,}", "x{2,3}"],
                  "promptCapture": "FULL", "toolIoCapture": "none", "excerptChars": 50, "maxToolIoChars": 500}}
                """, Map.of(), Map.of()).config();
        assertThat(fromFile.privacy()).isEqualTo(new MosConfig.Privacy(false, List.of("acct-[0-9]{6,}", "x{2,3}"),
                "full", "none", 50, 500));

        MosConfig fromEnv = config(Map.of("MCP_REDACT", "true", "MCP_REDACT_PATTERNS", "[\"a{2,}\", \"b,c\"]",
                "MCP_CAPTURE_PROMPTS", "none", "MCP_CAPTURE_TOOL_IO", "full", "MCP_EXCERPT_CHARS", "80",
                "MCP_MAX_TOOL_IO_CHARS", "4000"));
        assertThat(fromEnv.privacy()).isEqualTo(new MosConfig.Privacy(true, List.of("a{2,}", "b,c"), "none", "full",
                80, 4000));
        // one expression, commas and all, when the value is not a JSON array
        assertThat(config(Map.of("MCP_REDACT_PATTERNS", "k{1,4}")).privacy().redactPatterns())
                .containsExactly("k{1,4}");
    }

    @Test
    void invalidPrivacySettingsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> config(Map.of("MCP_REDACT_PATTERNS", "[\"ok\", \"(unclosed\"]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("privacy.redactPatterns[1] (from MCP_REDACT_PATTERNS)")
                .hasMessageContaining("not a valid Java regular expression");
        // found by ConfigLoaderFuzzTest: the refused pattern is shown escaped, on the message's one line
        assertThatThrownBy(() -> config(Map.of("MCP_REDACT_PATTERNS", "[\"a\\n{\"]")))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith(" of \"a\\n{\"")
                .message().doesNotContain("\n");
        assertThatThrownBy(() -> config(Map.of("MCP_REDACT_PATTERNS", "[1, 2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("privacy.redactPatterns");
        assertThatThrownBy(() -> config(Map.of("MCP_CAPTURE_TOOL_IO", "everything")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("privacy.toolIoCapture (from MCP_CAPTURE_TOOL_IO) must be one of none, excerpt, full");
        assertThatThrownBy(() -> config(Map.of("MCP_MAX_TOOL_IO_CHARS", "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("privacy.maxToolIoChars");
        assertThatThrownBy(() -> config(Map.of("MCP_REDACT", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("privacy.redact (from MCP_REDACT)");
    }

    @Test
    void tlsIsANestedSectionAndNeedsBothFiles() throws IOException {
        LoadedConfig nested = load("{\"server\": {\"tls\": {\"certFile\": \"/etc/mos/tls.crt\", \"keyFile\": \"/etc/mos/tls.key\"}}}",
                Map.of(), Map.of());
        assertThat(nested.config().server().tls()).isEqualTo(new MosConfig.Tls("/etc/mos/tls.crt", "/etc/mos/tls.key"));
        assertThat(nested.warnings()).isEmpty();
        assertThat(config(Map.of()).server().tls()).isNull();
        assertThatThrownBy(() -> config(Map.of("MCP_TLS_CERT_FILE", "/etc/mos/tls.crt")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.tls.keyFile (MCP_TLS_KEY_FILE)");
        assertThat(load("{\"server\": {\"tls\": {\"certFle\": \"x\"}}}", Map.of(), Map.of()).warnings())
                .anyMatch(w -> w.contains("server.tls.certFle"));
    }
}
