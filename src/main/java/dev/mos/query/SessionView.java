package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.SessionMetrics;
import dev.mos.model.SessionStatus;
import dev.mos.store.SessionInfo;

/** A session as readers see it: what the store knows plus what its tree says. */
public record SessionView(SessionInfo info, ActivityTree tree, SessionStatus status, SessionMetrics metrics) {
}
