package dev.mos.ingest.otlp;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the OTLP mappers learn about a session from one signal and need for another: which prompt a trace belongs
 * to (log records carry both {@code prompt.id} and the trace id; spans only the trace id), which Agent tool call a
 * subagent ({@code agent_id}) runs under when no hook announced it, which prompt is still open, and the last value
 * of each cumulative metric series.
 *
 * <p>Bounded like the hooks' agent links: past {@link #MAX_SESSIONS} an arbitrary old session is forgotten, and each
 * table of a session holds at most {@link #MAX_PER_SESSION} entries (further ones are not remembered, which only
 * costs a join, never an event).
 */
public final class OtlpJoins {

    static final int MAX_SESSIONS = 10_000;
    static final int MAX_PER_SESSION = 10_000;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /** One session's join state; callers synchronize on it. */
    static final class Session {
        final Map<String, String> promptByTrace = new HashMap<>();
        final Map<String, String> operationByAgent = new HashMap<>();
        final ArrayDeque<String> waitingAgentCalls = new ArrayDeque<>();
        final Set<String> closedPrompts = new LinkedHashSet<>();
        final Map<String, double[]> cumulative = new HashMap<>();
        final Set<String> unlinkedTraces = new LinkedHashSet<>();
        String openPrompt;
        String openPromptParentTask;
        long openPromptLastActivityMs;
    }

    Session of(String sessionId) {
        Session s = sessions.get(sessionId);
        if (s != null) {
            return s;
        }
        if (sessions.size() >= MAX_SESSIONS) {
            Iterator<String> it = sessions.keySet().iterator();
            if (it.hasNext()) {
                sessions.remove(it.next());
            }
        }
        return sessions.computeIfAbsent(sessionId, k -> new Session());
    }

    /**
     * A log record named the prompt of a trace. True when the trace was mapped before as a task of its own
     * ({@code trace:<id>}), which must now be nested under the prompt's task.
     */
    boolean linkTrace(String sessionId, String traceId, String promptId) {
        Session s = of(sessionId);
        synchronized (s) {
            if (s.promptByTrace.size() < MAX_PER_SESSION) {
                s.promptByTrace.putIfAbsent(traceId, promptId);
            }
            return !s.unlinkedTraces.isEmpty() && s.unlinkedTraces.remove(traceId);
        }
    }

    /** A trace was mapped before any log record named its prompt. */
    void unlinkedTrace(String sessionId, String traceId) {
        Session s = of(sessionId);
        synchronized (s) {
            if (s.unlinkedTraces.size() < MAX_PER_SESSION) {
                s.unlinkedTraces.add(traceId);
            }
        }
    }

    /** The prompt a trace belongs to, or null when no log record has named it yet. */
    String promptOfTrace(String sessionId, String traceId) {
        Session s = sessions.get(sessionId);
        if (s == null) {
            return null;
        }
        synchronized (s) {
            return s.promptByTrace.get(traceId);
        }
    }

    /** An Agent tool call was decided on (log {@code tool_decision}); its subagent has not shown up yet. */
    void agentCallStarted(String sessionId, String toolUseId) {
        Session s = of(sessionId);
        synchronized (s) {
            if (!s.waitingAgentCalls.contains(toolUseId) && !s.operationByAgent.containsValue(toolUseId)
                    && s.waitingAgentCalls.size() < MAX_PER_SESSION) {
                s.waitingAgentCalls.addLast(toolUseId);
            }
        }
    }

    /** A trace showed exactly which Agent call a subagent ran under. */
    void linkAgent(String sessionId, String agentId, String toolUseId) {
        Session s = of(sessionId);
        synchronized (s) {
            s.waitingAgentCalls.remove(toolUseId);
            if (s.operationByAgent.size() < MAX_PER_SESSION) {
                s.operationByAgent.put(agentId, toolUseId);
            }
        }
    }

    /**
     * The Agent call a subagent's events nest under: the one linked before, else the oldest Agent call still
     * waiting for its subagent (exact for one Agent call at a time, a best guess for parallel ones, as with hooks),
     * else null.
     */
    String operationOfAgent(String sessionId, String agentId) {
        Session s = of(sessionId);
        synchronized (s) {
            String op = s.operationByAgent.get(agentId);
            if (op == null) {
                op = s.waitingAgentCalls.pollFirst();
                if (op != null && s.operationByAgent.size() < MAX_PER_SESSION) {
                    s.operationByAgent.put(agentId, op);
                }
            }
            return op;
        }
    }

    /** The Agent call ended: it waits for no subagent any more. */
    void agentCallFinished(String sessionId, String toolUseId) {
        Session s = sessions.get(sessionId);
        if (s != null) {
            synchronized (s) {
                s.waitingAgentCalls.remove(toolUseId);
            }
        }
    }
}
