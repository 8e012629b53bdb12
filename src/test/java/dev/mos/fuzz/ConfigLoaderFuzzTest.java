package dev.mos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mos.config.ConfigException;
import dev.mos.config.ConfigLoader;
import dev.mos.config.ConfigOverrides;
import dev.mos.config.LoadedConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration as a start reads it: a config file (the input's remaining bytes, written to disk) under a few
 * of the environment variables ConfigLoader reads (picked and valued by the input). The contract: a configuration,
 * or a ConfigException, one line naming the key or file and the problem, which the start prints instead of a stack
 * trace. Anything else thrown would stop a start with a stack trace.
 */
class ConfigLoaderFuzzTest {

    private static final List<String> VARIABLES = List.copyOf(ConfigLoader.environmentVariables().stream()
            .filter(v -> !v.equals("MCP_CONFIG_PATH")).toList());
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempDirectory("mos-fuzz-config").resolve("config.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = FuzzBounds.TEST_RUN)
    @DictionaryEntries({"\"server\"", "\"storage\"", "\"health\"", "\"session\"", "\"streaming\"", "\"logging\"",
            "\"circuitBreaker\"", "\"privacy\"", "\"otlpExport\"", "\"limits\"", "\"tls\"", "\"port\"", "\"host\"",
            "\"backend\"", "\"dataDir\"", "\"retentionMs\"", "\"durability\"", "\"level\"", "\"authTokens\"",
            "\"allowedOrigins\"", "\"redactPatterns\"", "\"headers\"", "\"endpoint\"", "\"protocol\"",
            "\"requestsPerSecond\"", "\"maxRequestBytes\"", "\"memory\"", "\"sqlite\"", "\"postgres\"", "\"[\"",
            "1e999", "-1", "9223372036854775808"})
    void config(FuzzedDataProvider data) throws IOException {
        Map<String, String> env = new HashMap<>();
        int variables = data.consumeInt(0, 3);
        for (int i = 0; i < variables; i++) {
            // a real environment cannot hold NUL (C strings end there)
            env.put(data.pickValue(VARIABLES), data.consumeString(64).replace("\0", ""));
        }
        Files.write(FILE, data.consumeRemainingAsBytes());
        LoadedConfig loaded;
        try {
            loaded = new ConfigLoader().load(new ConfigOverrides(FILE, Map.of(), env));
        } catch (ConfigException e) {
            assertThat(e.getMessage()).as("one line").isNotBlank().doesNotContain("\n");
            return;
        }
        assertThat(loaded.config()).isNotNull();
    }
}
