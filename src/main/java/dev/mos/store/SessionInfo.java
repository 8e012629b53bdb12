package dev.mos.store;

import dev.mos.model.DisplaySettings;

/**
 * What the store knows of a session without reading its events. Sequences of retained events run from
 * {@code firstSequence} to {@code lastSequence}; {@code droppedEvents} older ones were dropped to respect
 * maxEventsPerSession. {@code project} is the first project any of its events named ({@link
 * dev.mos.model.NewEvent#project()}), null while none has. {@code sender} is the name of the token its first
 * token-sent event came with, null when none came with a token. {@code agent} is the coding agent the first of its
 * events to name one named ({@link dev.mos.model.NewEvent#agent()}: claude-code, codex, gemini-cli, …), else null.
 */
public record SessionInfo(
        String sessionId,
        long createdMs,
        long lastActivityMs,
        int retainedEvents,
        long droppedEvents,
        long firstSequence,
        long lastSequence,
        DisplaySettings displaySettings,
        String project,
        String sender,
        String agent) {
}
