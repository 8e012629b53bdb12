package dev.mos.query;

import dev.mos.model.SessionStatus;
import dev.mos.store.SessionInfo;
import java.util.Locale;

/**
 * Which sessions a listing keeps: project, sender and coding agent (exact matches), status, last activity within
 * [since, until], and a case-insensitive text search over the session id, its project and the names of its
 * operations. Null filters do not narrow.
 */
public record SessionFilter(String project, String sender, String agent, SessionStatus status, Long sinceMs,
        Long untilMs, String text) {

    public static final SessionFilter ALL = new SessionFilter(null, null, null, null, null, null, null);

    /** What can be decided from the store's session row alone, before a tree is built. */
    public boolean matchesInfo(SessionInfo info) {
        if (project != null && !project.equals(info.project()) || sender != null && !sender.equals(info.sender())
                || agent != null && !agent.equals(info.agent())) {
            return false;
        }
        long last = info.lastActivityMs();
        return (sinceMs == null || last >= sinceMs) && (untilMs == null || last <= untilMs);
    }

    public boolean matches(SessionView view) {
        if (!matchesInfo(view.info())) {
            return false;
        }
        if (status != null && view.status() != status) {
            return false;
        }
        if (text == null) {
            return true;
        }
        String needle = text.toLowerCase(Locale.ROOT);
        if (view.info().sessionId().toLowerCase(Locale.ROOT).contains(needle)
                || (view.project() != null && view.project().toLowerCase(Locale.ROOT).contains(needle))) {
            return true;
        }
        boolean[] found = {false};
        view.tree().forEach(node -> {
            if (!found[0] && node.name() != null && node.name().toLowerCase(Locale.ROOT).contains(needle)) {
                found[0] = true;
            }
        });
        return found[0];
    }
}
