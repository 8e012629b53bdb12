package dev.mos.cli;

import dev.mos.config.ConfigException;
import dev.mos.config.ConfigLoader;
import dev.mos.config.ConfigOverrides;
import dev.mos.config.LoadedConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every server command shares, and loading the configuration with them. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: $MCP_CONFIG_PATH, else config/production.json if present)")
    Path configFile;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace, debug, info, warn or error")
    String logLevel;

    /**
     * These options from plain arguments ({@code --config F}, {@code --log-level=L}, ...) without building a
     * picocli model, for the start of {@code mos stdio}; null for anything else (help, a typo, a repeat), which
     * picocli then parses and explains.
     */
    static ConfigOptions parsePlain(String[] args) {
        ConfigOptions options = new ConfigOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return null;
            }
            if (name.equals("--config") && options.configFile == null && !value.isEmpty()) {
                options.configFile = Path.of(value);
            } else if (name.equals("--log-level") && options.logLevel == null) {
                options.logLevel = value;
            } else {
                return null;
            }
        }
        return options;
    }

    /**
     * Loads and validates the configuration, then applies its logging section and logs its warnings; on a bad
     * configuration prints one line and returns null.
     */
    LoadedConfig load(Map<String, String> extraFlags) {
        Map<String, String> flags = new HashMap<>(extraFlags);
        if (logLevel != null) {
            flags.put("logging.level", logLevel);
        }
        try {
            LoadedConfig loaded = new ConfigLoader().load(new ConfigOverrides(configFile, flags, System.getenv()));
            Logging.apply(loaded.config().logging());
            loaded.warnings().forEach(w -> LoggerFactory.getLogger("mos.config").warn(w));
            return loaded;
        } catch (ConfigException e) {
            System.err.println("mos: configuration error: " + e.getMessage());
            return null;
        }
    }
}
