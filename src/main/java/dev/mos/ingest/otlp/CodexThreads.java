package dev.mos.ingest.otlp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link CodexOtelMapper} remembers between log records of OpenAI Codex: per conversation (Codex calls them
 * threads; a subagent is a thread of its own) the MOS session it belongs to, the operation it nests under, its open
 * task and its LLM call in flight. Bounded: the least recently seen conversations are forgotten first.
 */
final class CodexThreads {

    static final int MAX_THREADS = 10_000;

    /** One Codex conversation. Guarded by the {@link CodexThreads} monitor. */
    static final class Thread {
        /** The MOS session: the root conversation's id, also for its subagents. */
        final String session;
        /** For a subagent: the correlation id of its subagent operation (the spawn_agent call); else null. */
        final String parentOperation;
        /** For a subagent: its nickname. */
        final String agentName;
        String task;
        long taskLastActivityMs;
        /** The latest task opened in each trace (a turn's logs and its session_task.turn span share it). */
        final Map<String, String> taskByTrace = new LinkedHashMap<>(8, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > 64;
            }
        };
        /** Tasks whose turn end has been recorded (from their trace span): the next prompt need not close them. */
        final java.util.Set<String> closedTasks = java.util.Collections.newSetFromMap(
                new LinkedHashMap<>(8, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > 64;
                    }
                });
        String llm;
        long llmStartMs;
        /** From {@code codex.conversation_starts}: put on the next task's details. */
        Map<String, Object> settings = Map.of();

        Thread(String session, String parentOperation, String agentName) {
            this.session = session;
            this.parentOperation = parentOperation;
            this.agentName = agentName;
        }

        /** Where this thread's operations go: under the subagent's operation, else under the open task. */
        String parent() {
            return parentOperation != null ? parentOperation : task;
        }
    }

    /** A map that forgets its least recently used entries beyond {@code max}: Codex never says a thread is over. */
    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /** A spawned subagent waiting for its first record: which session and operation it belongs to. */
    record Spawned(String session, String operation, String nickname, long startMs, boolean finished) {
    }

    private final Map<String, Thread> threads = lru(MAX_THREADS);
    private final Map<String, Spawned> spawned = lru(MAX_THREADS);

    /**
     * A turn's end that came before its prompt, from its trace span (with the turn's duration) or from Codex's notify
     * (no duration): kept for its user_prompt.
     */
    record TurnEnd(long endMs, Long durationMs, Map<String, Object> details) {
    }

    private final Map<String, TurnEnd> earlyTurnEnds = lru(MAX_THREADS);

    /** Turn ends Codex's notify reported before the conversation's prompt was seen (when it came), by conversation. */
    private final Map<String, TurnEnd> notifiedEarly = lru(MAX_THREADS);

    /** What a notify closes: a root conversation's open task, at its last activity. */
    record NotifiedEnd(String session, String task, long atMs) {
    }

    /**
     * For Codex's turn-complete notify: the open task of {@code conversationId}, now marked closed; null when there
     * is none to close. A conversation whose prompt has not come yet (the notify overtook the log export) keeps
     * {@code early} for it ({@link #takeNotifiedEarly}, under the same monitor as the prompt's task is opened).
     */
    synchronized NotifiedEnd notifiedTurnEnd(String conversationId, TurnEnd early) {
        Thread t = threads.get(conversationId);
        if (t == null || t.parentOperation == null && t.task == null) {
            notifiedEarly.put(conversationId, early);
            return null;
        }
        if (t.parentOperation != null || t.closedTasks.contains(t.task)) {
            return null; // a subagent's turn is its spawn_agent operation; a task the turn span closed already
        }
        t.closedTasks.add(t.task);
        return new NotifiedEnd(t.session, t.task, t.taskLastActivityMs);
    }

    /** The notify that came before the first prompt of {@code conversationId}, once; null when none did. */
    synchronized TurnEnd takeNotifiedEarly(String conversationId) {
        return notifiedEarly.remove(conversationId);
    }

    /** The working directory Codex's spans name ({@code cwd} of {@code run_sampling_request}), by trace. */
    private final Map<String, String> cwdByTrace = lru(MAX_THREADS);

    synchronized void cwd(String traceId, String cwd) {
        cwdByTrace.put(traceId, cwd);
    }

    /** The working directory a span of trace {@code traceId} named; null when none did. */
    synchronized String cwdOf(String traceId) {
        return cwdByTrace.get(traceId);
    }

    /**
     * {@code codex.turn_input} spans seen: span id to conversation. A turn's conversation is on that parent span,
     * which ends before the turn does and so may come in an earlier export than the turn's own span.
     */
    private final Map<String, String> turnInputs = lru(MAX_THREADS);

    /** {@code session_task.turn} spans whose {@code codex.turn_input} parent has not come yet, by that span id. */
    private final Map<String, OtlpSpan> turnsAwaitingInput = lru(MAX_AWAITING_TURNS);

    static final int MAX_AWAITING_TURNS = 1_000;

    /**
     * Remembers the conversation of the {@code codex.turn_input} span {@code spanId}; returns the turn span that was
     * waiting for it (once), or null.
     */
    synchronized OtlpSpan turnInput(String spanId, String conversationId) {
        turnInputs.put(spanId, conversationId);
        return turnsAwaitingInput.remove(spanId);
    }

    /**
     * The conversation of the earlier {@code codex.turn_input} span {@code parentSpanId}; null when none was seen,
     * and then {@code turn} waits for it. One step, so that a parent mapped at the same time is not missed.
     */
    synchronized String conversationOfTurnInputOrAwait(String parentSpanId, OtlpSpan turn) {
        String conversation = turnInputs.get(parentSpanId);
        if (conversation == null) {
            turnsAwaitingInput.put(parentSpanId, turn);
        }
        return conversation;
    }

    /**
     * The thread of {@code conversationId} when one of its log records was seen; else null, and {@code end} is kept
     * for the turn's prompt ({@link #takeEarlyTurnEnd}). One step: Codex's log and trace exporters post at the same
     * time, and a prompt mapped beside this either made the thread found here or finds the end kept.
     */
    synchronized Thread knownOrKeepTurnEnd(String conversationId, String traceId, TurnEnd end) {
        Thread t = threads.get(conversationId);
        if (t == null) {
            earlyTurnEnds.put(conversationId + "\u0000" + traceId, end);
        }
        return t;
    }

    /** The end of the turn in trace {@code traceId} that came before its prompt, once; null when none did. */
    synchronized TurnEnd takeEarlyTurnEnd(String conversationId, String traceId) {
        return earlyTurnEnds.remove(conversationId + "\u0000" + traceId);
    }

    /** The thread of {@code conversationId}: a subagent of a known spawn, else a root conversation of its own. */
    synchronized Thread of(String conversationId) {
        Thread t = threads.get(conversationId);
        if (t == null) {
            Spawned s = spawned.get(conversationId);
            t = s != null ? new Thread(s.session(), s.operation(), s.nickname())
                    : new Thread(conversationId, null, null);
            threads.put(conversationId, t);
        }
        return t;
    }

    /** A spawn_agent call of {@code session} returned the new agent's id: its records nest under {@code op}. */
    synchronized void spawned(String agentId, String nickname, String session, String operation, long startMs) {
        spawned.put(agentId, new Spawned(session, operation, nickname, startMs, false));
        // the subagent's conversation_starts is logged while spawn_agent runs, before its result names the agent:
        // a thread made for it then, that has done nothing yet, becomes the subagent it is
        Thread early = threads.get(agentId);
        if (early != null && early.parentOperation == null && early.task == null && early.llm == null) {
            Thread child = new Thread(session, operation, nickname);
            child.settings = early.settings;
            threads.put(agentId, child);
        }
    }

    /**
     * The spawn of {@code agentId}, the first time only (a subagent operation is closed once); null when unknown or
     * finished before. The spawn stays known, so that late records of the subagent still nest under it.
     */
    synchronized Spawned finish(String agentId) {
        Spawned s = spawned.get(agentId);
        if (s == null || s.finished()) {
            return null;
        }
        spawned.put(agentId, new Spawned(s.session(), s.operation(), s.nickname(), s.startMs(), true));
        return s;
    }
}
