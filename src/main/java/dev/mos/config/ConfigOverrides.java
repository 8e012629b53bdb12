package dev.mos.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the command line says: an explicit config file and key overrides (key path to text value), plus the
 * process environment to read. Kept as plain inputs so that tests can load configurations without touching
 * the real environment.
 */
public record ConfigOverrides(Path configFile, Map<String, String> flags, Map<String, String> environment) {

    public ConfigOverrides {
        flags = Map.copyOf(flags);
        environment = Map.copyOf(environment);
    }

    public static ConfigOverrides none() {
        return new ConfigOverrides(null, Map.of(), Map.of());
    }
}
