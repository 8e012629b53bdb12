package dev.mos.ingest.hooks;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which operation a subagent's events nest under, shared by the hook and OTLP receivers. Hooks name the subagent ({@code agent_id}) on every event it
 * causes, but no hook names the Agent tool call that spawned it until that call's PostToolUse. So the Agent calls
 * still waiting for their subagent are queued per session, and SubagentStart takes the oldest one: exact for one
 * Agent call at a time, a best guess when several run in parallel.
 *
 * <p>Bounded: a session's links go on SessionEnd, and past {@link #MAX_SESSIONS} the oldest sessions are dropped.
 */
public final class AgentLinks {

    static final int MAX_SESSIONS = 10_000;
    private static final int MAX_PER_SESSION = 10_000;

    private final Map<String, SessionLinks> sessions = new ConcurrentHashMap<>();

    private static final class SessionLinks {
        final ArrayDeque<String> waitingAgentCalls = new ArrayDeque<>();
        final Map<String, String> operationByAgent = new HashMap<>();
    }

    private SessionLinks of(String sessionId) {
        if (sessions.size() >= MAX_SESSIONS && !sessions.containsKey(sessionId)) {
            Iterator<String> it = sessions.keySet().iterator();
            if (it.hasNext()) {
                sessions.remove(it.next());
            }
        }
        return sessions.computeIfAbsent(sessionId, k -> new SessionLinks());
    }

    /** An Agent tool call started; its subagent has not announced itself yet. */
    public void agentCallStarted(String sessionId, String toolUseId) {
        SessionLinks links = of(sessionId);
        synchronized (links) {
            if (links.waitingAgentCalls.size() < MAX_PER_SESSION) {
                links.waitingAgentCalls.addLast(toolUseId);
            }
        }
    }

    /**
     * A subagent started: links it to the oldest waiting Agent call and returns that call's tool_use_id, or null
     * when no Agent call is waiting (the subagent then gets an operation of its own).
     */
    public String subagentStarted(String sessionId, String agentId) {
        SessionLinks links = of(sessionId);
        synchronized (links) {
            String existing = links.operationByAgent.get(agentId);
            if (existing != null) {
                return existing;
            }
            String call = links.waitingAgentCalls.pollFirst();
            if (links.operationByAgent.size() < MAX_PER_SESSION) {
                links.operationByAgent.put(agentId, call != null ? call : ownOperation(agentId));
            }
            return call;
        }
    }

    /** The Agent call finished and named its subagent: record the link if SubagentStart was never seen. */
    public void agentCallFinished(String sessionId, String toolUseId, String agentId) {
        SessionLinks links = of(sessionId);
        synchronized (links) {
            links.waitingAgentCalls.remove(toolUseId);
            if (agentId != null && links.operationByAgent.size() < MAX_PER_SESSION) {
                links.operationByAgent.putIfAbsent(agentId, toolUseId);
            }
        }
    }

    /** The correlation id of the operation a subagent's events nest under. */
    public String operationOf(String sessionId, String agentId) {
        SessionLinks links = sessions.get(sessionId);
        if (links != null) {
            synchronized (links) {
                String op = links.operationByAgent.get(agentId);
                if (op != null) {
                    return op;
                }
            }
        }
        return ownOperation(agentId);
    }

    /** The operation a subagent's events nest under, or null when no hook has announced this subagent. */
    public String knownOperationOf(String sessionId, String agentId) {
        SessionLinks links = sessions.get(sessionId);
        if (links == null) {
            return null;
        }
        synchronized (links) {
            return links.operationByAgent.get(agentId);
        }
    }

    public static String ownOperation(String agentId) {
        return "agent:" + agentId;
    }

    public void sessionEnded(String sessionId) {
        sessions.remove(sessionId);
    }
}
