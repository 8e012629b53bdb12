package dev.mos.ingest;

/** The bounds an incoming event must keep. Documented in the README; change both together. */
public final class EventLimits {

    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_STRING_LENGTH = 10_000;
    public static final int MAX_DETAILS_DEPTH = 10;
    public static final int MAX_ARRAY_LENGTH = 1_000;
    public static final int MAX_KEYS = 100;
    public static final int MAX_KEY_LENGTH = 256;
    public static final int MAX_DETAILS_JSON_CHARS = 256 * 1024;
    public static final int MAX_DISPLAY_NAME_LENGTH = 100;
    public static final int MAX_DISPLAY_DESCRIPTION_LENGTH = 500;
    public static final int MAX_ICON_CODE_POINTS = 8;
    public static final int MAX_COLOR_LENGTH = 32;
    public static final long MAX_DURATION_MS = 30L * 24 * 3600 * 1000;
    public static final int MAX_BATCH = 1_000;

    private EventLimits() {
    }
}
