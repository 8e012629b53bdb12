package dev.mos.ingest.otlp;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What GeminiCliOtelMapper remembers between log records of one Gemini CLI session: the prompt still open (Gemini
 * logs no "turn ended" event), the time of its last activity, the prompts already closed, and the subagent runs
 * that finished but whose {@code invoke_agent} call has not been logged yet (that call is logged after the run).
 *
 * <p>Bounded like OtlpJoins: past {@link OtlpJoins#MAX_SESSIONS} an arbitrary old session is forgotten, and each
 * table holds at most {@link OtlpJoins#MAX_PER_SESSION} entries.
 */
final class GeminiCliJoins {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /** One session's state; callers synchronize on it. */
    static final class Session {
        String openPrompt;
        long openPromptLastActivityMs;
        final Set<String> closedPrompts = new LinkedHashSet<>();
        final ArrayDeque<String> finishedAgents = new ArrayDeque<>();
    }

    Session of(String sessionId) {
        Session s = sessions.get(sessionId);
        if (s != null) {
            return s;
        }
        if (sessions.size() >= OtlpJoins.MAX_SESSIONS) {
            Iterator<String> it = sessions.keySet().iterator();
            if (it.hasNext()) {
                sessions.remove(it.next());
            }
        }
        return sessions.computeIfAbsent(sessionId, k -> new Session());
    }

    /** A prompt started: it is the open one now; returns the one it replaces (still open), or null. */
    String open(String sessionId, String promptId, long at) {
        Session s = of(sessionId);
        synchronized (s) {
            String previous = s.openPrompt;
            if (!s.closedPrompts.contains(promptId)) {
                s.openPrompt = promptId;
                s.openPromptLastActivityMs = at;
            }
            return previous != null && !previous.equals(promptId) ? previous : null;
        }
    }

    /** The prompt open now, or null. */
    String openPrompt(String sessionId) {
        Session s = of(sessionId);
        synchronized (s) {
            return s.openPrompt;
        }
    }

    /** When the open prompt last did something (its start when nothing since). */
    long lastActivity(String sessionId) {
        Session s = of(sessionId);
        synchronized (s) {
            return s.openPromptLastActivityMs;
        }
    }

    void activity(String sessionId, long at) {
        Session s = of(sessionId);
        synchronized (s) {
            if (s.openPrompt != null) {
                s.openPromptLastActivityMs = Math.max(s.openPromptLastActivityMs, at);
            }
        }
    }

    /** Marks a prompt closed; false when it was closed before. */
    boolean close(String sessionId, String promptId) {
        Session s = of(sessionId);
        synchronized (s) {
            if (!s.closedPrompts.add(promptId)) {
                return false;
            }
            if (s.closedPrompts.size() > OtlpJoins.MAX_PER_SESSION) {
                s.closedPrompts.remove(s.closedPrompts.iterator().next());
            }
            if (promptId.equals(s.openPrompt)) {
                s.openPrompt = null;
            }
            return true;
        }
    }

    /** A subagent run ended; its {@code invoke_agent} call will be logged next. */
    void agentFinished(String sessionId, String agentId) {
        Session s = of(sessionId);
        synchronized (s) {
            if (s.finishedAgents.size() < OtlpJoins.MAX_PER_SESSION) {
                s.finishedAgents.addLast(agentId);
            }
        }
    }

    /**
     * The run an {@code invoke_agent} call belongs to: {@code agentId} when the call named it (it does when prompts
     * are logged), else the oldest finished run not claimed yet; null when no run is waiting.
     */
    String claimAgent(String sessionId, String agentId) {
        Session s = of(sessionId);
        synchronized (s) {
            if (agentId != null) {
                s.finishedAgents.remove(agentId);
                return agentId;
            }
            return s.finishedAgents.pollFirst();
        }
    }
}
