package dev.mos.ingest.hooks;

import dev.mos.model.NewEvent;
import java.util.List;
import java.util.Map;

/**
 * Payloads that reach {@code /hooks} in another agent's shape than a Claude Code-style hook (Codex's
 * {@code notify}), mapped where that agent's state is kept; the hooks package hands them over without depending
 * on it.
 */
@FunctionalInterface
public interface ForeignHookPayloads {

    /** None: every payload is a Claude Code-style hook. */
    ForeignHookPayloads NONE = payload -> null;

    /** The events for {@code payload}, valid by construction; null when it is not of this kind. */
    List<NewEvent> map(Map<?, ?> payload);
}
