package dev.mos.ingest.hooks;

/**
 * How much of a hook payload's free text is kept. {@code maxValueChars} bounds every stored value (tool inputs and
 * outputs are cut with a marker); {@code textExcerptChars} bounds prompt and response text, the default capture
 * level being metadata plus short excerpts; 0 keeps no prompt or response text at all.
 */
public record HookCapture(int maxValueChars, int textExcerptChars) {

    public static final HookCapture DEFAULT = new HookCapture(2_000, 200);

    public HookCapture {
        if (maxValueChars < 16) {
            throw new IllegalArgumentException("maxValueChars must be at least 16, got " + maxValueChars);
        }
        if (textExcerptChars < 0) {
            throw new IllegalArgumentException("textExcerptChars must be >= 0, got " + textExcerptChars);
        }
    }
}
