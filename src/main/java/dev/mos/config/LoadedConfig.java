package dev.mos.config;

import java.util.List;

/** A validated configuration, the file it came from (if any), and warnings to log once logging is set up. */
public record LoadedConfig(MosConfig config, String source, List<String> warnings) {

    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
