package dev.mos.cli;

import dev.mos.config.LoadedConfig;
import dev.mos.config.MosConfig;
import dev.mos.health.ToolCircuitBreakers;
import dev.mos.store.SessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Delete sessions inactive for longer than the retention period (storage.retentionMs, by"
                + " default session.sessionTimeoutMs) from the configured store, then exit. Safe while servers run.")
final class PruneCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--older-than-ms", description = "Retention for this run instead of the configured one.")
    Long olderThanMs;

    @Override
    public Integer call() {
        LoadedConfig loaded = options.load(Map.of());
        if (loaded == null) {
            return 1;
        }
        MosConfig config = loaded.config();
        if (olderThanMs != null && olderThanMs < 0) {
            System.err.println("mos prune: --older-than-ms must not be negative, got " + olderThanMs);
            return 2;
        }
        long retention = olderThanMs != null ? olderThanMs : ServerAssembly.retentionMs(config);
        Clock clock = Clock.systemUTC();
        ToolCircuitBreakers breakers = new ToolCircuitBreakers(config.circuitBreaker(), new SimpleMeterRegistry());
        try (SessionStore store = ServerAssembly.openStore(config, clock, breakers)) {
            int removed = store.expireInactiveBefore(clock.millis() - retention);
            System.out.println("pruned " + removed + " session(s) inactive for more than " + retention + " ms from "
                    + store.description());
        }
        return 0;
    }
}
