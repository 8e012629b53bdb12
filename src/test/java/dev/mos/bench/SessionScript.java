package dev.mos.bench;

import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.memory.MemorySessionStore;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One busy agent session of exactly {@code count} events, stored through a {@link MemorySessionStore} so that
 * ids and sequences are real: tasks containing tool calls (parent_id = the task's correlation id), some MCP
 * requests, a subagent in every fourth task with tool calls of its own (one of them naming its parent by server
 * event id), progress events with and without correlation ids, tool calls without a correlation id (paired by
 * name), a few errors, a few abandoned tool calls, and whatever is open when the count is reached still running.
 */
final class SessionScript {

    static final String SESSION = "3f6c1d2e-9a8b-4c7d-8e6f-5a4b3c2d1e0f";

    private final MemorySessionStore store;
    private final int count;
    private final SplittableRandom random = new SplittableRandom(42);
    private long ts = BenchEvents.BASE_MS;
    private int added;
    private long toolCounter;

    private SessionScript(MemorySessionStore store, int count) {
        this.store = store;
        this.count = count;
    }

    /** Stores the session and returns its events in order. */
    static List<Event> events(int count) {
        MemorySessionStore store = BenchEvents.store(count, Long.MAX_VALUE);
        new SessionScript(store, count).run();
        List<Event> events = store.events(SESSION);
        if (events.size() != count) {
            throw new IllegalStateException("expected " + count + " events, got " + events.size());
        }
        return events;
    }

    private boolean full() {
        return added >= count;
    }

    private Event add(EventType type, EventStatus status, String correlation, String parent, String name,
            String description, String details, Long duration) {
        if (full()) {
            return null;
        }
        ts += 1 + random.nextInt(40);
        added++;
        return store.append(new NewEvent(SESSION, type, status, ts, duration, parent, correlation, name,
                description, details, null));
    }

    private void run() {
        String previousTask = null;
        for (int task = 0; !full(); task++) {
            String taskId = "task_" + task;
            // every sixth task is a follow-up nested under the previous one
            String taskParent = task % 6 == 5 ? previousTask : null;
            add(EventType.TASK_STARTED, EventStatus.STARTED, taskId, taskParent, "Implement step " + task,
                    "Work through item " + task + " of the plan", null, null);
            int tools = 8 + random.nextInt(6);
            for (int t = 0; t < tools && !full(); t++) {
                if (t == tools / 2) {
                    progress(taskId, t);
                }
                tool(taskId, t % 10 == 9);
            }
            int mcps = 1 + random.nextInt(2);
            for (int m = 0; m < mcps && !full(); m++) {
                String corr = "mcp_" + task + "_" + m;
                add(EventType.MCP_REQUEST, EventStatus.STARTED, corr, taskId, "github.search_issues", null,
                        "{\"server\":\"github\",\"query\":\"is:open label:bug " + m + "\"}", null);
                long d = 50 + random.nextInt(900);
                ts += d;
                add(EventType.MCP_RESPONSE, EventStatus.SUCCESS, corr, taskId, "github.search_issues", null,
                        "{\"result_count\":" + random.nextInt(50) + "}", d);
            }
            if (task % 4 == 3) {
                subagent(taskId, task);
            }
            if (random.nextInt(20) == 0) {
                add(EventType.TASK_FAILED, EventStatus.ERROR, taskId, taskParent, null, null,
                        "{\"error\":\"tests failed: 3 of 120\"}", null);
            } else {
                add(EventType.TASK_COMPLETE, EventStatus.SUCCESS, taskId, taskParent, null, null, null, null);
            }
            previousTask = taskId;
        }
    }

    private void progress(String taskId, int step) {
        // half name their task, half rely on "innermost open task"
        boolean named = random.nextBoolean();
        add(EventType.TASK_PROGRESS, EventStatus.RUNNING, named ? taskId : null, null, null,
                "step " + step + ": running the tests", null, null);
    }

    private void tool(String parent, boolean withoutCorrelation) {
        String name = BenchEvents.NAMES[random.nextInt(BenchEvents.NAMES.length)];
        String corr = withoutCorrelation ? null : "toolu_01" + toolCounter++;
        add(EventType.TOOL_PRE_CALL, EventStatus.STARTED, corr, parent, name, null,
                "{\"file_path\":\"/home/dev/project/src/main/App" + random.nextInt(500) + ".java\",\"limit\":200}",
                null);
        if (random.nextInt(150) == 0) {
            return; // abandoned: stays running
        }
        long d = BenchEvents.durationMs(random.nextLong() & 0xffff);
        ts += d;
        if (random.nextInt(30) == 0) {
            add(EventType.TOOL_ERROR, EventStatus.ERROR, corr, parent, name, null,
                    "{\"error\":\"exit code 1: command failed after " + d + " ms\"}", d);
        } else {
            add(EventType.TOOL_POST_CALL, EventStatus.SUCCESS, corr, parent, name, null,
                    "{\"success\":true,\"output_chars\":" + random.nextInt(9000) + ",\"truncated\":false}", d);
        }
    }

    private void subagent(String taskId, int task) {
        String agentId = "agent_" + task;
        Event spawn = add(EventType.SUBAGENT_SPAWN, EventStatus.STARTED, agentId, taskId, "code-reviewer",
                "Review the changes of step " + task, null, null);
        if (spawn == null) {
            return;
        }
        int tools = 4 + random.nextInt(6);
        for (int t = 0; t < tools && !full(); t++) {
            // the first names its parent by server event id, the others by correlation id
            tool(t == 0 ? spawn.externalId() : agentId, false);
        }
        add(EventType.SUBAGENT_COMPLETE, EventStatus.SUCCESS, agentId, taskId, "code-reviewer", null,
                "{\"findings\":" + random.nextInt(5) + "}", null);
    }
}
