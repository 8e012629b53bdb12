package dev.mos.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration, found through its ServiceLoader: stderr, info, text. Set up in code because
 * parsing an XML configuration cost a fifth of a second of stdio start-up, on the path to Claude Code's first
 * answer. The loaded configuration is applied later by {@link Logging#apply}.
 */
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logging.apply(context, Logging.DEFAULTS);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
