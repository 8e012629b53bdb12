package dev.mos.model;

/**
 * The coding agents MOS knows by name. An event names its agent in {@code details.agent} ({@link
 * NewEvent#agent()}); a session is of the agent its first naming event names. Any other name (what an
 * OpenTelemetry source calls itself) is kept as it is.
 */
public final class CodingAgent {

    /** The details key an event names its agent by. */
    public static final String DETAILS_KEY = "agent";
    public static final String CLAUDE_CODE = "claude-code";
    public static final String CODEX = "codex";
    public static final String GEMINI_CLI = "gemini-cli";

    private CodingAgent() {
    }
}
