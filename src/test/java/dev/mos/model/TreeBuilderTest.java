package dev.mos.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TreeBuilderTest {

    private static final String SESSION = "s1";
    private static final long T0 = 1_764_000_000_000L;

    /** Builds events with increasing ids and sequences, as a store would. */
    private static final class Events {
        private final List<Event> list = new ArrayList<>();
        private long nextId = 100;

        Event add(EventType type, EventStatus status, long ts, Long duration, String parent, String correlation,
                String name) {
            long id = nextId++;
            Event e = new NewEvent(SESSION, type, status, ts, duration, parent, correlation, name, null, null, null)
                    .stored(id, list.size() + 1);
            list.add(e);
            return e;
        }

        Event add(EventType type, long ts, String parent, String correlation, String name) {
            return add(type, defaultStatus(type), ts, null, parent, correlation, name);
        }

        ActivityTree build() {
            return TreeBuilder.build(SESSION, list, 0);
        }
    }

    private static EventStatus defaultStatus(EventType type) {
        return switch (type.role()) {
            case START -> EventStatus.STARTED;
            case PROGRESS -> EventStatus.RUNNING;
            case END -> EventStatus.SUCCESS;
            case FAIL -> EventStatus.ERROR;
        };
    }

    private static OperationNode only(ActivityTree tree) {
        assertThat(tree.roots()).hasSize(1);
        return tree.roots().getFirst();
    }

    private static OperationNode find(ActivityTree tree, String name) {
        return tree.flatten().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node named " + name + " in " + tree.flatten()));
    }

    @Test
    void startAndEndWithSameCorrelationIdAreOneOperationUsingReportedDuration() {
        Events ev = new Events();
        Event start = ev.add(EventType.TOOL_PRE_CALL, EventStatus.STARTED, T0, null, null, "call-1", "Read");
        Event end = ev.add(EventType.TOOL_POST_CALL, EventStatus.SUCCESS, T0 + 300, 245L, null, "call-1", "Read");

        ActivityTree tree = ev.build();

        assertThat(tree.operationCount()).isEqualTo(1);
        assertThat(tree.runningCount()).isZero();
        OperationNode node = only(tree);
        assertThat(node.id()).isEqualTo("call-1");
        assertThat(node.kind()).isEqualTo(OperationKind.TOOL);
        assertThat(node.name()).isEqualTo("Read");
        assertThat(node.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(node.start()).isEqualTo(start);
        assertThat(node.end()).isEqualTo(end);
        assertThat(node.startMs()).isEqualTo(T0);
        assertThat(node.endMs()).isEqualTo(T0 + 300);
        assertThat(node.durationMs()).isEqualTo(245L);
        assertThat(tree.lastSequence()).isEqualTo(2);
    }

    @Test
    void durationFallsBackToTimestampDifferenceWhenEndReportsNone() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, null, "t", "Build");
        ev.add(EventType.TASK_COMPLETE, T0 + 1_234, null, "t", null);

        OperationNode node = only(ev.build());

        assertThat(node.durationMs()).isEqualTo(1_234L);
        assertThat(node.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(node.name()).isEqualTo("Build");
    }

    @Test
    void endArrivingBeforeItsCorrelatedStartStillPairs() {
        Events ev = new Events();
        ev.add(EventType.MCP_RESPONSE, EventStatus.SUCCESS, T0 + 500, null, null, "m", "mcp__gh__search");
        ev.add(EventType.MCP_REQUEST, T0 + 100, null, "m", "mcp__gh__search");

        OperationNode node = only(ev.build());

        assertThat(node.start()).isNotNull();
        assertThat(node.end()).isNotNull();
        assertThat(node.startMs()).isEqualTo(T0 + 100);
        assertThat(node.durationMs()).isEqualTo(400L);
    }

    @Test
    void uncorrelatedPreAndPostCallsOfTheSameToolPairFirstInFirstOut() {
        Events ev = new Events();
        Event first = ev.add(EventType.TOOL_PRE_CALL, T0, null, null, "Read");
        Event second = ev.add(EventType.TOOL_PRE_CALL, T0 + 10, null, null, "Read");
        Event other = ev.add(EventType.TOOL_PRE_CALL, T0 + 20, null, null, "Bash");
        Event firstEnd = ev.add(EventType.TOOL_POST_CALL, T0 + 100, null, null, "Read");
        Event secondEnd = ev.add(EventType.TOOL_POST_CALL, T0 + 150, null, null, "Read");

        ActivityTree tree = ev.build();

        assertThat(tree.operationCount()).isEqualTo(3);
        assertThat(tree.roots()).hasSize(3);
        OperationNode a = tree.roots().get(0);
        OperationNode b = tree.roots().get(1);
        OperationNode bash = tree.roots().get(2);
        assertThat(a.start()).isEqualTo(first);
        assertThat(a.end()).isEqualTo(firstEnd);
        assertThat(a.durationMs()).isEqualTo(100L);
        assertThat(a.id()).isEqualTo(first.externalId());
        assertThat(b.start()).isEqualTo(second);
        assertThat(b.end()).isEqualTo(secondEnd);
        assertThat(b.durationMs()).isEqualTo(140L);
        assertThat(bash.start()).isEqualTo(other);
        assertThat(bash.end()).isNull();
        assertThat(bash.status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(tree.runningCount()).isEqualTo(1);
    }

    @Test
    void anEndOfADifferentKindDoesNotCloseAStartWithTheSameName() {
        Events ev = new Events();
        ev.add(EventType.TOOL_PRE_CALL, T0, null, null, "search");
        ev.add(EventType.MCP_RESPONSE, T0 + 50, null, null, "search");

        ActivityTree tree = ev.build();

        assertThat(tree.operationCount()).isEqualTo(2);
        assertThat(tree.flatten()).extracting(OperationNode::kind)
                .containsExactlyInAnyOrder(OperationKind.TOOL, OperationKind.MCP);
        assertThat(tree.runningCount()).isEqualTo(1);
    }

    @Test
    void endWithoutStartIsShownWithStartInferredFromDuration() {
        Events ev = new Events();
        Event end = ev.add(EventType.TOOL_POST_CALL, EventStatus.SUCCESS, T0 + 1_000, 200L, null, null, "Grep");

        OperationNode node = only(ev.build());

        assertThat(node.start()).isNull();
        assertThat(node.end()).isEqualTo(end);
        assertThat(node.primary()).isEqualTo(end);
        assertThat(node.id()).isEqualTo(end.externalId());
        assertThat(node.name()).isEqualTo("Grep");
        assertThat(node.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(node.startMs()).isEqualTo(T0 + 800);
        assertThat(node.endMs()).isEqualTo(T0 + 1_000);
        assertThat(node.durationMs()).isEqualTo(200L);
    }

    @Test
    void endWithoutStartOrDurationStartsAtItsOwnTimestamp() {
        Events ev = new Events();
        ev.add(EventType.SUBAGENT_COMPLETE, T0 + 5, null, null, "helper");

        OperationNode node = only(ev.build());

        assertThat(node.startMs()).isEqualTo(T0 + 5);
        assertThat(node.durationMs()).isNull();
        assertThat(node.status()).isEqualTo(OperationStatus.SUCCESS);
    }

    @Test
    void startThatNeverEndsStaysRunning() {
        Events ev = new Events();
        ev.add(EventType.SUBAGENT_SPAWN, T0, null, "agent-1", "researcher");

        ActivityTree tree = ev.build();
        OperationNode node = only(tree);

        assertThat(node.status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(node.running()).isTrue();
        assertThat(node.endMs()).isNull();
        assertThat(node.durationMs()).isNull();
        assertThat(node.elapsedMs(T0 + 750)).isEqualTo(750);
        assertThat(tree.runningCount()).isEqualTo(1);
    }

    @Test
    void parentIdNamingCorrelationIdsAndServerEventIdsNestsAtSeveralDepths() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, null, "task-1", "Implement");
        Event toolStart = ev.add(EventType.TOOL_PRE_CALL, T0 + 10, "task-1", "tool-1", "Bash");
        // parent named by the server id of the tool's start event
        Event spawn = ev.add(EventType.SUBAGENT_SPAWN, T0 + 20, toolStart.externalId(), null, "researcher");
        // parent named by the server id of an uncorrelated start
        ev.add(EventType.MCP_REQUEST, T0 + 30, spawn.externalId(), "mcp-1", "mcp__gh__search");
        // fourth level, parent named by correlation id again
        ev.add(EventType.TOOL_PRE_CALL, T0 + 40, "mcp-1", null, "Read");
        ev.add(EventType.TOOL_POST_CALL, T0 + 50, null, null, "Read");

        ActivityTree tree = ev.build();

        assertThat(tree.operationCount()).isEqualTo(5);
        OperationNode task = only(tree);
        assertThat(task.name()).isEqualTo("Implement");
        assertThat(task.parentMissing()).isFalse();
        OperationNode bash = task.children().getFirst();
        assertThat(task.children()).hasSize(1);
        assertThat(bash.name()).isEqualTo("Bash");
        assertThat(bash.children()).singleElement().extracting(OperationNode::name).isEqualTo("researcher");
        OperationNode agent = bash.children().getFirst();
        assertThat(agent.children()).singleElement().extracting(OperationNode::name).isEqualTo("mcp__gh__search");
        OperationNode mcp = agent.children().getFirst();
        assertThat(mcp.children()).singleElement().satisfies(read -> {
            assertThat(read.name()).isEqualTo("Read");
            assertThat(read.status()).isEqualTo(OperationStatus.SUCCESS);
            assertThat(read.parentMissing()).isFalse();
        });
        assertThat(tree.flatten()).noneMatch(OperationNode::parentMissing);
    }

    @Test
    void parentIdMayNameTheEndEventOfAnOperation() {
        Events ev = new Events();
        ev.add(EventType.TOOL_PRE_CALL, T0, null, null, "Read");
        Event end = ev.add(EventType.TOOL_POST_CALL, T0 + 5, null, null, "Read");
        ev.add(EventType.TASK_STARTED, T0 + 10, end.externalId(), "follow-up", "Follow up");

        OperationNode read = only(ev.build());

        assertThat(read.children()).singleElement().extracting(OperationNode::name).isEqualTo("Follow up");
    }

    @Test
    void unknownParentLeavesOperationAtRootFlaggedParentMissing() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, null, "known", "Known");
        ev.add(EventType.TOOL_PRE_CALL, T0 + 1, "no-such-operation", "c1", "Orphan");
        ev.add(EventType.TOOL_PRE_CALL, T0 + 2, Event.formatId(999_999), "c2", "OrphanById");

        ActivityTree tree = ev.build();

        assertThat(tree.roots()).extracting(OperationNode::name).containsExactly("Known", "Orphan", "OrphanById");
        assertThat(find(tree, "Known").parentMissing()).isFalse();
        assertThat(find(tree, "Orphan").parentMissing()).isTrue();
        assertThat(find(tree, "OrphanById").parentMissing()).isTrue();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void parentCyclesDoNotLoopAndEveryOperationAppears() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, "B", "A", "A");
        ev.add(EventType.TASK_STARTED, T0 + 1, "A", "B", "B");
        ev.add(EventType.TOOL_PRE_CALL, T0 + 2, "C", "C", "C"); // its own parent

        ActivityTree tree = ev.build();

        assertThat(tree.operationCount()).isEqualTo(3);
        List<OperationNode> all = tree.flatten();
        assertThat(all).extracting(OperationNode::name).containsExactlyInAnyOrder("A", "B", "C");
        // one of A/B is a root, the other its child; C is a root
        assertThat(tree.roots()).extracting(OperationNode::name).contains("C").hasSize(2);
        OperationNode cycleRoot = tree.roots().stream().filter(n -> !n.name().equals("C")).findFirst().orElseThrow();
        assertThat(cycleRoot.children()).singleElement().satisfies(child -> {
            assertThat(child.name()).isNotEqualTo(cycleRoot.name());
            assertThat(child.children()).isEmpty();
        });
    }

    @Test
    void failureTypesAndErrorStatusGiveErrorAndTimeoutStatusGivesTimeout() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, null, "task", "task");
        ev.add(EventType.TASK_FAILED, T0 + 10, null, "task", null);
        ev.add(EventType.TOOL_PRE_CALL, T0, null, "tool", "tool");
        ev.add(EventType.TOOL_ERROR, T0 + 10, null, "tool", null);
        ev.add(EventType.SUBAGENT_SPAWN, T0, null, "agent", "agent");
        ev.add(EventType.SUBAGENT_FAILED, T0 + 10, null, "agent", null);
        ev.add(EventType.MCP_REQUEST, T0, null, "mcp", "mcp");
        ev.add(EventType.MCP_RESPONSE, EventStatus.TIMEOUT, T0 + 10, null, null, "mcp", null);
        ev.add(EventType.TOOL_PRE_CALL, T0, null, "post-error", "post-error");
        ev.add(EventType.TOOL_POST_CALL, EventStatus.ERROR, T0 + 10, null, null, "post-error", null);
        ev.add(EventType.MCP_REQUEST, T0, null, "mcp-err-timeout", "mcp-err-timeout");
        ev.add(EventType.MCP_ERROR, EventStatus.TIMEOUT, T0 + 10, null, null, "mcp-err-timeout", null);
        ev.add(EventType.TOOL_PRE_CALL, T0, null, "ok", "ok");
        ev.add(EventType.TOOL_POST_CALL, T0 + 10, null, "ok", null);

        ActivityTree tree = ev.build();

        assertThat(find(tree, "task").status()).isEqualTo(OperationStatus.ERROR);
        assertThat(find(tree, "tool").status()).isEqualTo(OperationStatus.ERROR);
        assertThat(find(tree, "agent").status()).isEqualTo(OperationStatus.ERROR);
        assertThat(find(tree, "mcp").status()).isEqualTo(OperationStatus.TIMEOUT);
        assertThat(find(tree, "post-error").status()).isEqualTo(OperationStatus.ERROR);
        assertThat(find(tree, "mcp-err-timeout").status()).isEqualTo(OperationStatus.TIMEOUT);
        assertThat(find(tree, "ok").status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(tree.runningCount()).isZero();
    }

    @Test
    void uncorrelatedToolErrorClosesTheOpenCallOfThatTool() {
        Events ev = new Events();
        ev.add(EventType.TOOL_PRE_CALL, T0, null, null, "Bash");
        ev.add(EventType.TOOL_ERROR, T0 + 30, null, null, "Bash");

        OperationNode node = only(ev.build());

        assertThat(node.status()).isEqualTo(OperationStatus.ERROR);
        assertThat(node.durationMs()).isEqualTo(30L);
    }

    @Test
    void taskProgressAttachesToTheOpenTask() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, null, null, "Refactor");
        Event p1 = ev.add(EventType.TASK_PROGRESS, T0 + 10, null, null, "step 1");
        Event p2 = ev.add(EventType.TASK_PROGRESS, T0 + 20, null, null, "step 2");

        ActivityTree tree = ev.build();
        OperationNode task = only(tree);

        assertThat(tree.operationCount()).isEqualTo(1);
        assertThat(task.name()).isEqualTo("Refactor");
        assertThat(task.progress()).containsExactly(p1, p2);
        assertThat(task.running()).isTrue();
    }

    @Test
    void taskProgressWithCorrelationIdAttachesToThatTask() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, null, "outer", "Outer");
        ev.add(EventType.TASK_STARTED, T0 + 1, "outer", "inner", "Inner");
        Event p = ev.add(EventType.TASK_PROGRESS, T0 + 2, null, "outer", "outer progress");

        ActivityTree tree = ev.build();

        assertThat(tree.operationCount()).isEqualTo(2);
        assertThat(find(tree, "Outer").progress()).containsExactly(p);
        assertThat(find(tree, "Inner").progress()).isEmpty();
    }

    @Test
    void taskProgressGoesToTheInnermostOpenTaskAndBackToTheOuterOneWhenTheInnerEnds() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, null, "outer", "Outer");
        ev.add(EventType.TASK_STARTED, T0 + 1, "outer", "inner", "Inner");
        Event innerProgress = ev.add(EventType.TASK_PROGRESS, T0 + 2, null, null, "inner step");
        ev.add(EventType.TASK_COMPLETE, T0 + 3, null, "inner", null);
        Event outerProgress = ev.add(EventType.TASK_PROGRESS, T0 + 4, null, null, "outer step");

        ActivityTree tree = ev.build();

        assertThat(tree.operationCount()).isEqualTo(2);
        assertThat(find(tree, "Inner").progress()).containsExactly(innerProgress);
        assertThat(find(tree, "Outer").progress()).containsExactly(outerProgress);
        assertThat(tree.runningCount()).isEqualTo(1);
    }

    @Test
    void childrenAndRootsAreSortedByStartTimeNotArrival() {
        Events ev = new Events();
        ev.add(EventType.TASK_STARTED, T0, null, "p", "Parent");
        ev.add(EventType.TOOL_PRE_CALL, T0 + 300, "p", "c3", "third");
        ev.add(EventType.TOOL_PRE_CALL, T0 + 100, "p", "c1", "first");
        // an end-only child whose start is inferred from its duration: 500 - 300 = 200
        ev.add(EventType.TOOL_POST_CALL, EventStatus.SUCCESS, T0 + 500, 300L, "p", "c2", "second");
        ev.add(EventType.TASK_STARTED, T0 - 50, null, "early", "EarlyRoot");

        ActivityTree tree = ev.build();

        assertThat(tree.roots()).extracting(OperationNode::name).containsExactly("EarlyRoot", "Parent");
        assertThat(find(tree, "Parent").children()).extracting(OperationNode::name)
                .containsExactly("first", "second", "third");
    }

    @Test
    void droppedEventsAreCarriedIntoTheTree() {
        Events ev = new Events();
        ev.add(EventType.TOOL_POST_CALL, T0, null, null, "Read");
        ActivityTree tree = TreeBuilder.build(SESSION, ev.list, 7);

        assertThat(tree.droppedEvents()).isEqualTo(7);
        assertThat(tree.sessionId()).isEqualTo(SESSION);
    }

    @Test
    void emptyEventListGivesEmptyTree() {
        ActivityTree tree = TreeBuilder.build(SESSION, List.of(), 0);

        assertThat(tree.roots()).isEmpty();
        assertThat(tree.operationCount()).isZero();
        assertThat(tree.lastSequence()).isZero();
    }

    @Test
    void aSecondEndOfTheSameOperationIsKeptAsAnEnrichmentNotAReplacement() {
        Events ev = new Events();
        ev.add(EventType.TOOL_PRE_CALL, EventStatus.STARTED, T0, null, null, "toolu_1", "Bash");
        Event hookEnd = ev.add(EventType.TOOL_ERROR, EventStatus.ERROR, T0 + 30, 21L, null, "toolu_1", "Bash");
        Event otelEnd = ev.add(EventType.TOOL_POST_CALL, EventStatus.SUCCESS, T0 + 900, 25L, null, "toolu_1", "Bash");

        OperationNode node = only(ev.build());

        assertThat(node.end()).isEqualTo(hookEnd);
        assertThat(node.status()).isEqualTo(OperationStatus.ERROR);
        assertThat(node.durationMs()).isEqualTo(21L);
        assertThat(node.progress()).containsExactly(otelEnd);
    }

    @Test
    void aNodeMadeOnlyOfProgressHasAPrimaryEvent() {
        Events ev = new Events();
        Event point = ev.add(EventType.TASK_PROGRESS, EventStatus.SUCCESS, T0, null, null, "hook:SessionStart:1",
                "SessionStart");

        OperationNode node = only(ev.build());

        assertThat(node.primary()).isEqualTo(point);
        assertThat(node.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(node.running()).isFalse();
    }

    @Test
    void llmCallsAreOperationsOfTheirOwnKind() {
        Events ev = new Events();
        ev.add(EventType.LLM_REQUEST, T0, null, "llm:req_1", "claude-x");
        ev.add(EventType.LLM_RESPONSE, EventStatus.SUCCESS, T0 + 40, 40L, null, "llm:req_1", "claude-x");

        OperationNode node = only(ev.build());

        assertThat(node.kind()).isEqualTo(OperationKind.LLM);
        assertThat(node.durationMs()).isEqualTo(40L);
        assertThat(node.status()).isEqualTo(OperationStatus.SUCCESS);
    }
}
