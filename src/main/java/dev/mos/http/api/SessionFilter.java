package dev.mos.http.api;

import dev.mos.model.SessionStatus;
import dev.mos.query.SessionView;
import java.util.Locale;

/**
 * Which sessions a listing keeps: status, last activity within [since, until], and a case-insensitive text
 * search over the session id and the names of its operations.
 */
record SessionFilter(SessionStatus status, Long sinceMs, Long untilMs, String text) {

    boolean matches(SessionView view) {
        if (status != null && view.status() != status) {
            return false;
        }
        long last = view.info().lastActivityMs();
        if (sinceMs != null && last < sinceMs) {
            return false;
        }
        if (untilMs != null && last > untilMs) {
            return false;
        }
        if (text == null) {
            return true;
        }
        String needle = text.toLowerCase(Locale.ROOT);
        if (view.info().sessionId().toLowerCase(Locale.ROOT).contains(needle)) {
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
