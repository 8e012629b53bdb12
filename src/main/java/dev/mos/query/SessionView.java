package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.SessionMetrics;
import dev.mos.model.SessionStatus;
import dev.mos.store.SessionInfo;
import java.util.function.Supplier;

/**
 * A session as readers see it: what the store knows plus what its tree says. The usage (tokens and cost) is
 * computed on first use and then kept with the cached tree, so a listing pays for it only on the page it shows;
 * the lifecycle likewise.
 */
public record SessionView(SessionInfo info, ActivityTree tree, SessionStatus status, SessionMetrics metrics,
        Supplier<SessionUsage> usageSource, Supplier<SessionLifecycle> lifecycleSource) {

    /** Start, end, model, permission mode, metric points and MCP connections (not operations of the tree). */
    public SessionLifecycle lifecycle() {
        return lifecycleSource.get();
    }

    /** Tokens and cost, or null when the session reported none. */
    public SessionUsage usage() {
        return usageSource.get();
    }

    /** The project the session works on (Claude Code's cwd or details.project), or null. */
    public String project() {
        return info.project();
    }
}
