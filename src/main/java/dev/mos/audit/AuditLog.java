package dev.mos.audit;

import dev.mos.config.OtlpEndpoints;
import dev.mos.model.AuditEntry;
import dev.mos.store.SessionStore;
import dev.mos.store.StoreUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records administrative actions: a line on the {@code mos.audit} logger and an entry in the store. What was set is
 * kept without its secrets: export headers (API keys) are counted, never written, and an endpoint is kept without
 * its query string (collectors take API keys there too).
 */
public final class AuditLog {

    private static final Logger log = LoggerFactory.getLogger("mos.audit");
    private static final Set<String> SECRET = Set.of("headers", "token", "password", "secret", "authorization");
    private static final int MAX_OUTCOME = 300;

    private final SessionStore store;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    public AuditLog(SessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param error the action's error message, or null when it succeeded
     */
    public void record(Actor actor, String action, Map<String, Object> arguments, String error) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        String target = args.containsKey("session_id") ? String.valueOf(args.get("session_id"))
                : args.get("endpoint") == null ? null : OtlpEndpoints.shown(String.valueOf(args.get("endpoint")));
        String outcome = error == null ? "ok" : "error: " + cut(error);
        String detail = detail(args);
        log.info("audit: {} {} {} -> {}{}", actor, action, target == null ? "" : target, outcome,
                detail == null ? "" : " " + detail);
        try {
            store.recordAudit(new AuditEntry(0, clock.millis(), actor.name(), actor.address(), action, target,
                    outcome, detail));
        } catch (StoreUnavailableException e) {
            // the action itself has happened; its log line above still says who did it
            log.warn("audit entry for {} by {} not stored: {}", action, actor, e.getMessage());
        }
    }

    public List<AuditEntry> newest(int limit) {
        return store.auditEntries(limit);
    }

    private String detail(Map<String, Object> args) {
        Map<String, Object> kept = new TreeMap<>();
        args.forEach((k, v) -> {
            if (SECRET.contains(k)) {
                kept.put(k, v instanceof Map<?, ?> m ? m.size() + " hidden" : "hidden");
            } else if (k.equals("endpoint")) {
                kept.put(k, v == null ? null : OtlpEndpoints.shown(String.valueOf(v)));
            } else if (!k.equals("session_id")) {
                kept.put(k, v);
            }
        });
        return kept.isEmpty() ? null : json.writeValueAsString(kept);
    }

    private static String cut(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > MAX_OUTCOME ? line.substring(0, MAX_OUTCOME) + "…" : line;
    }
}
