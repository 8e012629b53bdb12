package dev.mos.ingest.hooks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which operation a subagent's events nest under, shared by the hook and OTLP receivers. Hooks name the subagent
 * ({@code agent_id}) on every event it causes, but no hook names the Agent tool call that spawned it until that
 * call's PostToolUse ({@code tool_response.agentId}). So the Agent calls still waiting for their subagent are kept
 * per session with their {@code subagent_type}, and SubagentStart ({@code agent_type}) is paired with the one
 * waiting call of its type. When several calls of that type are in flight, order would be a guess: the subagent
 * then gets an operation of its own, and the Agent call's PostToolUse settles where it belongs ({@link
 * #agentCallFinished}), so parallel subagents never nest under the wrong call.
 *
 * <p>Also remembers each session's open tool calls, so that a PermissionRequest (which carries the tool name and
 * input but no {@code tool_use_id}) is recorded on its call.
 *
 * <p>And when each prompt was submitted, so that a trace (whose spans name no prompt) can join the hooks' task of
 * its prompt when no OTLP log record links the two ({@link #promptDuring}).
 *
 * <p>Bounded: a session's links go on SessionEnd, and past {@link #MAX_SESSIONS} the oldest sessions are dropped.
 */
public final class AgentLinks {

    static final int MAX_SESSIONS = 10_000;
    private static final int MAX_PER_SESSION = 10_000;

    /** How long before its interaction span starts a prompt may have been submitted (hook delivery, clock skew). */
    static final long PROMPT_LEAD_MS = 2_000;

    private final Map<String, SessionLinks> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public AgentLinks() {
        this(Clock.systemUTC());
    }

    public AgentLinks(Clock clock) {
        this.clock = clock;
    }

    private record WaitingCall(String toolUseId, String subagentType) {
    }

    private static final class SessionLinks {
        final List<WaitingCall> waitingAgentCalls = new ArrayList<>();
        final Map<String, String> operationByAgent = new HashMap<>();
        /** Subagents with an operation of their own, waiting for their Agent call to name them. */
        final Set<String> unsettled = new HashSet<>();
        /** tool_use_id -> tool name and input key, in start order. */
        final LinkedHashMap<String, String> openTools = new LinkedHashMap<>();
        /** prompt_id -> when its UserPromptSubmit arrived, oldest first. */
        final LinkedHashMap<String, Long> promptsSubmitted = new LinkedHashMap<>();
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

    /** UserPromptSubmit for this prompt arrived now. */
    public void promptSubmitted(String sessionId, String promptId) {
        SessionLinks links = of(sessionId);
        synchronized (links) {
            if (links.promptsSubmitted.size() >= MAX_PER_SESSION) {
                links.promptsSubmitted.pollFirstEntry();
            }
            links.promptsSubmitted.putIfAbsent(promptId, clock.millis());
        }
    }

    /**
     * The prompt whose interaction ran from {@code startMs} to {@code endMs}, or null: Claude Code runs a session's
     * prompts one at a time, so it is the one submitted within that span (or just before it started) closest to
     * its start.
     */
    public String promptDuring(String sessionId, long startMs, long endMs) {
        SessionLinks links = sessions.get(sessionId);
        if (links == null) {
            return null;
        }
        synchronized (links) {
            String best = null;
            long bestDistance = Long.MAX_VALUE;
            for (Map.Entry<String, Long> p : links.promptsSubmitted.entrySet()) {
                long at = p.getValue();
                if (at >= startMs - PROMPT_LEAD_MS && at <= endMs && Math.abs(at - startMs) < bestDistance) {
                    best = p.getKey();
                    bestDistance = Math.abs(at - startMs);
                }
            }
            return best;
        }
    }

    /** An Agent tool call started; its subagent has not announced itself yet. */
    public void agentCallStarted(String sessionId, String toolUseId) {
        agentCallStarted(sessionId, toolUseId, null);
    }

    /** An Agent tool call started with this {@code subagent_type} (null: not given). */
    public void agentCallStarted(String sessionId, String toolUseId, String subagentType) {
        SessionLinks links = of(sessionId);
        synchronized (links) {
            if (links.waitingAgentCalls.size() < MAX_PER_SESSION) {
                links.waitingAgentCalls.add(new WaitingCall(toolUseId, subagentType));
            }
        }
    }

    /**
     * A subagent started: links it to the one waiting Agent call of its type (or the one waiting call at all) and
     * returns that call's tool_use_id; null when none or several are waiting, and the subagent gets an operation
     * of its own ({@link #isUnsettled} tells which of the two).
     */
    public String subagentStarted(String sessionId, String agentId, String agentType) {
        SessionLinks links = of(sessionId);
        synchronized (links) {
            String existing = links.operationByAgent.get(agentId);
            if (existing != null) {
                return existing.equals(ownOperation(agentId)) ? null : existing;
            }
            List<WaitingCall> candidates = links.waitingAgentCalls;
            if (agentType != null) {
                List<WaitingCall> sameType = candidates.stream()
                        .filter(c -> agentType.equals(c.subagentType())).toList();
                if (!sameType.isEmpty()) {
                    candidates = sameType;
                }
            }
            String call = null;
            if (candidates.size() == 1) {
                WaitingCall only = candidates.getFirst();
                links.waitingAgentCalls.remove(only);
                call = only.toolUseId();
            } else if (candidates.size() > 1) {
                links.unsettled.add(agentId);
            }
            if (links.operationByAgent.size() < MAX_PER_SESSION) {
                links.operationByAgent.put(agentId, call != null ? call : ownOperation(agentId));
            }
            return call;
        }
    }

    /** True while a subagent's own operation waits for its Agent call to name it. */
    public boolean isUnsettled(String sessionId, String agentId) {
        SessionLinks links = sessions.get(sessionId);
        if (links == null) {
            return false;
        }
        synchronized (links) {
            return links.unsettled.contains(agentId);
        }
    }

    /**
     * The Agent call finished and named its subagent. Records the link if SubagentStart was never seen; returns
     * the agent id when that subagent had an operation of its own waiting for this call (the caller then places
     * it under the call), else null.
     */
    public String agentCallFinished(String sessionId, String toolUseId, String agentId) {
        SessionLinks links = of(sessionId);
        synchronized (links) {
            links.waitingAgentCalls.removeIf(c -> c.toolUseId().equals(toolUseId));
            if (agentId == null) {
                return null;
            }
            if (links.unsettled.remove(agentId)) {
                return agentId;
            }
            if (links.operationByAgent.size() < MAX_PER_SESSION) {
                links.operationByAgent.putIfAbsent(agentId, toolUseId);
            }
            return null;
        }
    }

    /** A (non-Agent) tool call started; {@code inputKey} identifies its input. */
    public void toolCallStarted(String sessionId, String toolUseId, String toolName, String inputKey) {
        SessionLinks links = of(sessionId);
        synchronized (links) {
            if (links.openTools.size() >= MAX_PER_SESSION) {
                links.openTools.pollFirstEntry();
            }
            links.openTools.put(toolUseId, toolName + '\u0000' + inputKey);
        }
    }

    public void toolCallFinished(String sessionId, String toolUseId) {
        SessionLinks links = sessions.get(sessionId);
        if (links != null) {
            synchronized (links) {
                links.openTools.remove(toolUseId);
            }
        }
    }

    /** The newest open call of this tool with this input, else of this tool; null when none is open. */
    public String openToolCall(String sessionId, String toolName, String inputKey) {
        SessionLinks links = sessions.get(sessionId);
        if (links == null) {
            return null;
        }
        String exact = toolName + '\u0000' + inputKey;
        String prefix = toolName + '\u0000';
        synchronized (links) {
            String byName = null;
            for (Map.Entry<String, String> e : links.openTools.sequencedEntrySet().reversed()) {
                if (e.getValue().equals(exact)) {
                    return e.getKey();
                }
                if (byName == null && e.getValue().startsWith(prefix)) {
                    byName = e.getKey();
                }
            }
            return byName;
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
