package dev.mos.http.api;

import dev.mos.model.SessionStatus;
import dev.mos.query.SessionView;
import dev.mos.store.SessionInfo;
import java.util.Locale;

/**
 * Which sessions a listing keeps: project and sender (exact matches), status, last activity within [since, until], and a
 * case-insensitive text search over the session id, its project and the names of its operations.
 */
record SessionFilter(String project, String sender, SessionStatus status, Long sinceMs, Long untilMs, String text) {

    /** What can be decided from the store's session row alone, before a tree is built. */
    boolean matchesInfo(SessionInfo info) {
        if (project != null && !project.equals(info.project()) || sender != null && !sender.equals(info.sender())) {
            return false;
        }
        long last = info.lastActivityMs();
        return (sinceMs == null || last >= sinceMs) && (untilMs == null || last <= untilMs);
    }

    boolean matches(SessionView view) {
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
