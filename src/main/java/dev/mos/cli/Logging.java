package dev.mos.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.mos.config.MosConfig;
import org.slf4j.LoggerFactory;

/** Applies the logging section to logback: level, text or JSON lines, stack traces or not; always stderr. */
final class Logging {

    private Logging() {
    }

    /** Before the configuration is loaded: info, text, on stderr. */
    static final MosConfig.Logging DEFAULTS = new MosConfig.Logging("info", true, "text");

    static void apply(MosConfig.Logging config) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, config);
        }
    }

    static void apply(LoggerContext context, MosConfig.Logging config) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level(), Level.INFO));
        Level libraries = Level.toLevel(config.level()).isGreaterOrEqual(Level.WARN) ? Level.toLevel(config.level())
                : Level.WARN;
        context.getLogger("org.eclipse.jetty").setLevel(libraries);
        context.getLogger("reactor").setLevel(libraries);
        context.getLogger("com.zaxxer.hikari").setLevel(libraries);
        context.getLogger("org.flywaydb").setLevel(libraries);
        // Startup lines stay visible at the production level (warn).
        context.getLogger("mos.startup").setLevel(Level.INFO);

        Encoder<ILoggingEvent> encoder;
        if (config.json()) {
            JsonEncoder json = new JsonEncoder();
            json.setWithThrowable(config.includeStack());
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            encoder = json;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n"
                    + (config.includeStack() ? "" : "%nopex"));
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }
}
