package dev.mos.ingest.privacy;

import dev.mos.config.MosConfig;

/**
 * The operator's capture and privacy choices ({@code privacy.*}) applied to one piece of free text: redacted first
 * (a secret must not survive by being cut in half), then kept whole, cut with a visible marker, or dropped, by the
 * capture level of its kind. Every ingestion path (hooks, OTLP, transcript import, {@code log_event}) uses one
 * instance built by {@code ServerAssembly}.
 */
public final class CapturePolicy {

    /** The largest value an event may carry (EventLimits.MAX_STRING_LENGTH); "full" means up to this. */
    public static final int FULL_CHARS = 10_000;

    private final Redactor redactor;
    private final int promptChars;
    private final int toolIoChars;

    public CapturePolicy(MosConfig.Privacy config) {
        this.redactor = config.redact() ? new Redactor(config.redactPatterns()) : Redactor.off();
        this.promptChars = limit(config.promptCapture(), config.excerptChars());
        this.toolIoChars = limit(config.toolIoCapture(), config.maxToolIoChars());
    }

    public static CapturePolicy defaults() {
        return new CapturePolicy(MosConfig.Privacy.DEFAULTS);
    }

    private static int limit(String level, int excerpt) {
        return switch (level) {
            case MosConfig.Privacy.NONE -> 0;
            case MosConfig.Privacy.FULL -> FULL_CHARS;
            default -> Math.min(excerpt, FULL_CHARS);
        };
    }

    public Redactor redactor() {
        return redactor;
    }

    /** Secrets replaced; for metadata that is always kept (commands, paths, error messages). */
    public String redact(String text) {
        return redactor.redact(text);
    }

    /** Prompt or response text as the prompt capture level allows; null when none is kept. */
    public String prompt(String text) {
        return cut(text, promptChars);
    }

    /** A tool input or output (as text) as the tool I/O capture level allows; null when none is kept. */
    public String toolIo(String text) {
        return cut(text, toolIoChars);
    }

    /** Any other free-text value: redacted and bounded like tool I/O, but never dropped. */
    public String value(String text) {
        return cut(text, Math.max(toolIoChars, 200));
    }

    public boolean keepsPrompts() {
        return promptChars > 0;
    }

    public boolean keepsToolIo() {
        return toolIoChars > 0;
    }

    /** Redacted, then cut to {@code max} characters with a marker saying how much was cut; null when max is 0. */
    public String cut(String text, int max) {
        if (text == null || max == 0) {
            return null;
        }
        String clean = redactor.redact(text);
        if (clean.length() <= max) {
            return clean;
        }
        int cut = Character.isHighSurrogate(clean.charAt(max - 1)) ? max - 1 : max;
        return clean.substring(0, cut) + "…[truncated " + (clean.length() - cut) + " chars]";
    }
}
