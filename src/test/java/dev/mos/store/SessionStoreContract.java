package dev.mos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.MutableClock;
import dev.mos.model.AuditEntry;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link SessionStore} backend must show. A backend's test extends this class and says how
 * to create a store; every test gets a fresh one with a clock the test moves by hand.
 */
public abstract class SessionStoreContract {

    protected static final long T0 = 1_764_000_000_000L;
    private static final StoreLimits ROOMY = new StoreLimits(10_000, 512L * 1024 * 1024);

    protected final MutableClock clock = new MutableClock(T0);
    private final List<SessionStore> opened = new ArrayList<>();

    protected abstract SessionStore createStore(StoreLimits limits, Clock clock);

    /**
     * A second store over the same data as the last one created (a restart), or null for a backend that keeps
     * nothing across restarts. The caller closes the first store before calling this.
     */
    protected SessionStore reopenStore(StoreLimits limits, Clock clock) {
        return null;
    }

    /**
     * Another store over the same data, open at the same time as the last one created (another process or
     * replica), or null for a backend whose data lives in one process.
     */
    protected SessionStore concurrentStore(StoreLimits limits, Clock clock) {
        return null;
    }

    private SessionStore store(StoreLimits limits) {
        SessionStore store = createStore(limits, clock);
        opened.add(store);
        return store;
    }

    private SessionStore store() {
        return store(ROOMY);
    }

    @AfterEach
    void closeStores() {
        opened.forEach(SessionStore::close);
    }

    protected static NewEvent event(String sessionId, String name) {
        return event(sessionId, name, null);
    }

    protected static NewEvent event(String sessionId, String name, String description) {
        return new NewEvent(sessionId, EventType.TOOL_PRE_CALL, EventStatus.STARTED, T0, null, null, null, name,
                description, null, null);
    }

    private static List<Long> sequences(List<Event> events) {
        return events.stream().map(Event::sequence).toList();
    }

    @Test
    void aSessionsSenderIsTheFirstTokenThatSentToItAndStays() {
        SessionStore store = store();
        store.append(event("s", "anonymous first"));
        assertThat(store.session("s").orElseThrow().sender()).isNull();
        store.append(event("s", "by ci").withSender("ci-agent"));
        store.appendAll(List.of(event("s", "by alice").withSender("alice"), event("t", "t by alice")
                .withSender("alice"), event("t", "t by ci").withSender("ci-agent")));
        assertThat(store.session("s").orElseThrow().sender()).isEqualTo("ci-agent");
        assertThat(store.session("t").orElseThrow().sender()).isEqualTo("alice");
        assertThat(store.sessions()).extracting(SessionInfo::sender).containsExactlyInAnyOrder("ci-agent", "alice");
    }

    @Test
    void searchFindsEventsByWordsOfTheirNameDescriptionAndDetailValuesNewestFirst() {
        SessionStore store = store();
        Event bash = store.append(new NewEvent("s", EventType.TOOL_PRE_CALL, EventStatus.STARTED, T0, null, null,
                "toolu_1", "Bash", null, "{\"tool_input\":\"{\\\"command\\\":\\\"make build-all\\\"}\",\"cwd\":\"/w\"}",
                null));
        Event failed = store.append(new NewEvent("t", EventType.TOOL_ERROR, EventStatus.ERROR, T0 + 5, 4L, null,
                "toolu_2", "Bash", "Build the project", "{\"error\":\"make: No rule to make target\"}", null));
        store.append(event("t", "Read", "notes.txt"));

        assertThat(store.search("make", Long.MAX_VALUE, 10)).extracting(Event::id).containsExactly(failed.id(), bash.id());
        assertThat(store.search("MAKE build", Long.MAX_VALUE, 10)).extracting(Event::id).containsExactly(failed.id(), bash.id());
        assertThat(store.search("buil", Long.MAX_VALUE, 10)).as("a word's beginning").extracting(Event::id)
                .containsExactly(failed.id(), bash.id());
        assertThat(store.search("rule target", Long.MAX_VALUE, 10)).extracting(Event::id).containsExactly(failed.id());
        assertThat(store.search("make", Long.MAX_VALUE, 1)).extracting(Event::id).containsExactly(failed.id());
        assertThat(store.search("make", failed.id(), 10)).as("the page before the last one read")
                .extracting(Event::id).containsExactly(bash.id());
        assertThat(store.search("tool_input", Long.MAX_VALUE, 10)).as("keys are not text").isEmpty();
        assertThat(store.search("nowhere", Long.MAX_VALUE, 10)).isEmpty();
        assertThat(store.search("  \"*) ", Long.MAX_VALUE, 10)).as("no words: nothing, and no syntax error").isEmpty();

        Event agentNamed = store.append(withDetails("u", "{\"agent\":\"claude-code\",\"note\":\"zebra\"}"));
        assertThat(store.search("zebra", Long.MAX_VALUE, 10)).extracting(Event::id).containsExactly(agentNamed.id());
        assertThat(store.search("claude", Long.MAX_VALUE, 10)).as("the agent is a filter, not text").isEmpty();

        store.delete("t");
        assertThat(store.search("make", Long.MAX_VALUE, 10)).extracting(Event::id).containsExactly(bash.id());
    }

    @Test
    void auditEntriesAreKeptNewestFirstWithTheirIdsAndOutliveTheSessionTheyName() {
        SessionStore store = store();
        store.append(event("doomed", "Bash"));
        AuditEntry first = store.recordAudit(new AuditEntry(0, T0, "ops", "10.0.0.7", "delete_session", "doomed",
                "ok", null));
        store.delete("doomed");
        AuditEntry second = store.recordAudit(new AuditEntry(0, T0 + 5, "local", null, "configure_otel_export",
                "http://collector:4318", "error: unreachable", "{\"enabled\":true,\"headers\":\"1 hidden\"}"));
        assertThat(first.id()).isPositive();
        assertThat(second.id()).isGreaterThan(first.id());
        List<AuditEntry> newest = store.auditEntries(10);
        assertThat(newest).containsExactly(second, first);
        assertThat(store.auditEntries(1)).containsExactly(second);
        assertThat(newest.get(1).address()).isEqualTo("10.0.0.7");
        assertThat(newest.get(0).address()).isNull();
        assertThat(store.session("doomed")).isEmpty();
    }

    @Test
    void auditEntriesAreSharedWithAnotherProcess() {
        SessionStore store = store();
        SessionStore other = concurrentStore(ROOMY, clock);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "backend has no second process");
        opened.add(other);
        store.recordAudit(new AuditEntry(0, T0, "ops", null, "delete_session", "s1", "ok", null));
        other.recordAudit(new AuditEntry(0, T0 + 1, "alice", null, "delete_session", "s2", "ok", null));
        assertThat(store.auditEntries(5)).extracting(AuditEntry::target).containsExactly("s2", "s1");
        assertThat(other.auditEntries(5)).isEqualTo(store.auditEntries(5));
    }

    @Test
    void auditEntriesSurviveARestart() {
        SessionStore first = store();
        AuditEntry kept = first.recordAudit(new AuditEntry(0, T0, "ops", "10.0.0.7", "delete_session", "s1", "ok",
                null));
        first.close();
        SessionStore second = reopenStore(ROOMY, clock);
        org.junit.jupiter.api.Assumptions.assumeTrue(second != null, "backend keeps nothing across restarts");
        opened.add(second);
        assertThat(second.auditEntries(5)).containsExactly(kept);
    }

    @Test
    void appendAssignsPerSessionSequencesFromOneAndUniqueIds() {
        SessionStore store = store();

        Event a1 = store.append(event("a", "Read"));
        Event a2 = store.append(event("a", "Bash"));
        Event b1 = store.append(event("b", "Read"));
        Event a3 = store.append(event("a", "Grep"));

        assertThat(List.of(a1.sequence(), a2.sequence(), a3.sequence())).containsExactly(1L, 2L, 3L);
        assertThat(b1.sequence()).isEqualTo(1L);
        assertThat(Set.of(a1.id(), a2.id(), a3.id(), b1.id())).hasSize(4);
        assertThat(Set.of(a1.externalId(), a2.externalId(), a3.externalId(), b1.externalId())).hasSize(4);
        assertThat(a2.sessionId()).isEqualTo("a");
        assertThat(a2.name()).isEqualTo("Bash");
        assertThat(store.events("a")).containsExactly(a1, a2, a3);
        assertThat(store.events("b")).containsExactly(b1);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void asyncAppendsCompleteWithStoredEventsInSubmissionOrderPerCaller() throws Exception {
        SessionStore store = store();
        List<java.util.concurrent.CompletableFuture<Event>> singles = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            singles.add(store.appendAsync(event("a", "e" + i)));
        }
        java.util.concurrent.CompletableFuture<List<Event>> batch = store.appendAllAsync(
                List.of(event("a", "b0"), event("b", "b1"), event("a", "b2")));

        List<Event> done = new ArrayList<>();
        for (var f : singles) {
            done.add(f.get(10, TimeUnit.SECONDS));
        }
        List<Event> batchDone = batch.get(10, TimeUnit.SECONDS);

        assertThat(sequences(done)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());
        assertThat(batchDone).extracting(Event::name).containsExactly("b0", "b1", "b2");
        assertThat(sequences(batchDone)).containsExactly(201L, 1L, 202L);
        assertThat(store.events("a")).hasSize(202).containsAll(done);
        assertThat(store.events("b")).containsExactly(batchDone.get(1));
        assertThat(store.appendAllAsync(List.of()).get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void twoStoresOverTheSameDataShareSequencesAndSessionsAndNeverShareIds() {
        SessionStore a = store();
        SessionStore b = concurrentStore(ROOMY, clock);
        org.junit.jupiter.api.Assumptions.assumeTrue(b != null, "backend has no second process");
        opened.add(b);
        Event fromA = a.append(event("s", "from-a"));
        Event fromB = b.append(event("s", "from-b"));

        assertThat(fromB.sequence()).isEqualTo(fromA.sequence() + 1);
        assertThat(fromB.id()).isNotEqualTo(fromA.id());
        assertThat(a.events("s")).containsExactly(fromA, fromB);
        assertThat(b.events("s")).containsExactly(fromA, fromB);
        assertThat(a.latestSessionId()).contains("s");
    }

    @Test
    void readsSeeWhatAnotherProcessWroteAfterTheyWereServedFromTheWorkingSet() {
        SessionStore mine = store();
        SessionStore other = concurrentStore(ROOMY, clock);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "backend has no second process");
        opened.add(other);
        mine.append(event("s", "e1"));
        mine.append(event("s", "e2"));
        assertThat(mine.events("s")).extracting(Event::name).containsExactly("e1", "e2");
        assertThat(mine.recentEvents("s", 1)).extracting(Event::name).containsExactly("e2");

        other.append(event("s", "e3"));
        mine.append(event("s", "e4"));
        other.append(event("s", "e5"));

        assertThat(mine.events("s")).extracting(Event::name).containsExactly("e1", "e2", "e3", "e4", "e5");
        assertThat(sequences(mine.events("s"))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(mine.events("s")).isEqualTo(other.events("s"));
        assertThat(sequences(mine.eventsAfter("s", 3, 10).events())).containsExactly(4L, 5L);
        assertThat(mine.recentEvents("s", 2)).extracting(Event::name).containsExactly("e4", "e5");

        // deleted and started afresh elsewhere: nothing of the old session may be served here
        assertThat(other.delete("s")).isTrue();
        assertThat(mine.events("s")).isEmpty();
        clock.advance(5);
        other.append(event("s", "new1"));
        assertThat(mine.events("s")).extracting(Event::name).containsExactly("new1");
        assertThat(mine.eventsAfter("s", 0, 10).events()).extracting(Event::name).containsExactly("new1");
        assertThat(mine.recentEvents("s", 5)).extracting(Event::name).containsExactly("new1");
    }

    @Test
    void aSmallWorkingSetStillServesEveryReadCorrectly() {
        // a budget far below one session's events: the working set keeps little or nothing, reads stay right
        SessionStore store = store(new StoreLimits(50, 4_000));
        // the memory backend is the data itself and evicts whole sessions at its budget (tested on its own)
        org.junit.jupiter.api.Assumptions.assumeFalse("memory".equals(store.backend()), "memory evicts data");
        for (int i = 0; i < 120; i++) {
            store.append(event("s" + (i % 3), "e" + i));
        }
        for (int s = 0; s < 3; s++) {
            List<Event> events = store.events("s" + s);
            assertThat(events).hasSize(40);
            assertThat(store.events("s" + s)).isEqualTo(events);
            assertThat(store.recentEvents("s" + s, 3)).isEqualTo(events.subList(37, 40));
            assertThat(store.eventsAfter("s" + s, 10, 5).events()).isEqualTo(events.subList(10, 15));
        }
    }

    @Test
    void sessionInfoReflectsCreationActivityAndSequences() {
        SessionStore store = store();
        store.append(event("a", "x"));
        clock.advance(1_000);
        store.append(event("a", "y"));

        SessionInfo info = store.session("a").orElseThrow();

        assertThat(info.sessionId()).isEqualTo("a");
        assertThat(info.createdMs()).isEqualTo(T0);
        assertThat(info.lastActivityMs()).isEqualTo(T0 + 1_000);
        assertThat(info.retainedEvents()).isEqualTo(2);
        assertThat(info.droppedEvents()).isZero();
        assertThat(info.firstSequence()).isEqualTo(1);
        assertThat(info.lastSequence()).isEqualTo(2);
        assertThat(info.displaySettings()).isEqualTo(DisplaySettings.DEFAULTS);
        assertThat(store.session("unknown")).isEmpty();
    }

    @Test
    void unknownSessionsReadAsEmpty() {
        SessionStore store = store();
        store.append(event("a", "x"));

        assertThat(store.events("nope")).isEmpty();
        assertThat(store.recentEvents("nope", 5)).isEmpty();
        EventPage page = store.eventsAfter("nope", 0, 10);
        assertThat(page.events()).isEmpty();
        assertThat(page.more()).isFalse();
        assertThat(page.missed()).isZero();
    }

    @Test
    void sessionsAreListedMostRecentlyActiveFirst() {
        SessionStore store = store();
        store.append(event("a", "x"));
        clock.advance(10);
        store.append(event("b", "x"));
        clock.advance(10);
        store.append(event("c", "x"));
        clock.advance(10);
        store.append(event("a", "y"));

        assertThat(store.sessions()).extracting(SessionInfo::sessionId).containsExactly("a", "c", "b");
        assertThat(store.latestSessionId()).contains("a");
    }

    @Test
    void latestSessionIdFollowsActivityAndSurvivesDeletionOfTheLatest() {
        SessionStore store = store();
        assertThat(store.latestSessionId()).isEmpty();

        store.append(event("a", "x"));
        clock.advance(10);
        store.append(event("b", "x"));
        assertThat(store.latestSessionId()).contains("b");

        clock.advance(10);
        store.append(event("a", "y"));
        assertThat(store.latestSessionId()).contains("a");

        assertThat(store.delete("a")).isTrue();
        assertThat(store.latestSessionId()).contains("b");
        assertThat(store.delete("b")).isTrue();
        assertThat(store.latestSessionId()).isEmpty();
    }

    @Test
    void eventsAfterZeroReturnsFromTheStartAndLimitSetsMore() {
        SessionStore store = store();
        for (int i = 0; i < 5; i++) {
            store.append(event("s", "e" + i));
        }

        EventPage all = store.eventsAfter("s", 0, 100);
        assertThat(sequences(all.events())).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(all.more()).isFalse();
        assertThat(all.missed()).isZero();
        assertThat(all.lastSequence()).isEqualTo(5);

        EventPage first = store.eventsAfter("s", 0, 2);
        assertThat(sequences(first.events())).containsExactly(1L, 2L);
        assertThat(first.more()).isTrue();
        assertThat(first.nextCursor(0)).isEqualTo(2);

        EventPage second = store.eventsAfter("s", first.nextCursor(0), 2);
        assertThat(sequences(second.events())).containsExactly(3L, 4L);
        assertThat(second.more()).isTrue();

        EventPage third = store.eventsAfter("s", second.nextCursor(2), 2);
        assertThat(sequences(third.events())).containsExactly(5L);
        assertThat(third.more()).isFalse();

        EventPage caughtUp = store.eventsAfter("s", 5, 2);
        assertThat(caughtUp.events()).isEmpty();
        assertThat(caughtUp.more()).isFalse();
        assertThat(caughtUp.missed()).isZero();
        assertThat(caughtUp.nextCursor(5)).isEqualTo(5);
    }

    @Test
    void eventsAfterCountsEventsDroppedBeforeTheFirstReturned() {
        SessionStore store = store(new StoreLimits(3, ROOMY.maxBytes()));
        for (int i = 0; i < 5; i++) {
            store.append(event("s", "e" + i));
        }

        EventPage fromStart = store.eventsAfter("s", 0, 10);
        assertThat(sequences(fromStart.events())).containsExactly(3L, 4L, 5L);
        assertThat(fromStart.missed()).isEqualTo(2);

        EventPage fromOne = store.eventsAfter("s", 1, 1);
        assertThat(sequences(fromOne.events())).containsExactly(3L);
        assertThat(fromOne.missed()).isEqualTo(1);
        assertThat(fromOne.more()).isTrue();

        EventPage fromRetained = store.eventsAfter("s", 3, 10);
        assertThat(sequences(fromRetained.events())).containsExactly(4L, 5L);
        assertThat(fromRetained.missed()).isZero();
    }

    @Test
    void recentEventsReturnsTheNewestInOrder() {
        SessionStore store = store();
        for (int i = 0; i < 5; i++) {
            store.append(event("s", "e" + i));
        }

        assertThat(sequences(store.recentEvents("s", 2))).containsExactly(4L, 5L);
        assertThat(sequences(store.recentEvents("s", 50))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.recentEvents("s", 0)).isEmpty();
    }

    @Test
    void maxEventsPerSessionDropsTheOldestAndCountsThem() {
        SessionStore store = store(new StoreLimits(3, ROOMY.maxBytes()));
        for (int i = 0; i < 5; i++) {
            store.append(event("s", "e" + i));
        }
        store.append(event("other", "x"));

        assertThat(store.events("s")).extracting(Event::name).containsExactly("e2", "e3", "e4");
        SessionInfo info = store.session("s").orElseThrow();
        assertThat(info.retainedEvents()).isEqualTo(3);
        assertThat(info.droppedEvents()).isEqualTo(2);
        assertThat(info.firstSequence()).isEqualTo(3);
        assertThat(info.lastSequence()).isEqualTo(5);
        assertThat(store.session("other").orElseThrow().droppedEvents()).isZero();

        StoreStats stats = store.stats();
        assertThat(stats.droppedEvents()).isEqualTo(2);
        assertThat(stats.retainedEvents()).isEqualTo(4);
        assertThat(stats.sessions()).isEqualTo(2);
    }

    @Test
    void configureDisplayPersistsAndRefusesUnknownSessions() {
        SessionStore store = store();
        store.append(event("s", "x"));
        DisplaySettings custom = new DisplaySettings(false, true, 1_500L, 4, false);

        assertThat(store.configureDisplay("s", custom)).isTrue();
        assertThat(store.session("s").orElseThrow().displaySettings()).isEqualTo(custom);
        store.append(event("s", "y"));
        assertThat(store.session("s").orElseThrow().displaySettings()).isEqualTo(custom);

        assertThat(store.configureDisplay("unknown", custom)).isFalse();
        assertThat(store.session("unknown")).isEmpty();
    }

    @Test
    void expireInactiveBeforeRemovesOnlyStaleSessions() {
        SessionStore store = store();
        store.append(event("old", "x"));
        clock.advance(5_000);
        store.append(event("fresh", "x"));
        clock.advance(5_000);
        store.append(event("newest", "x"));

        int expired = store.expireInactiveBefore(T0 + 5_000);

        assertThat(expired).isEqualTo(1);
        assertThat(store.session("old")).isEmpty();
        assertThat(store.events("old")).isEmpty();
        assertThat(store.session("fresh")).isPresent();
        assertThat(store.session("newest")).isPresent();
        assertThat(store.sessions()).extracting(SessionInfo::sessionId).containsExactly("newest", "fresh");
        assertThat(store.stats().expiredSessions()).isEqualTo(1);
        assertThat(store.stats().sessions()).isEqualTo(2);
        assertThat(store.stats().retainedEvents()).isEqualTo(2);

        assertThat(store.expireInactiveBefore(T0)).isZero();
        assertThat(store.stats().expiredSessions()).isEqualTo(1);
    }

    @Test
    void deleteRemovesTheSessionAndItsAccounting() {
        SessionStore store = store();
        store.append(event("a", "x", "some description"));
        store.append(event("a", "y"));
        store.append(event("b", "x"));
        long bytesWithA = store.stats().estimatedBytes();

        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("a")).isFalse();
        assertThat(store.delete("never")).isFalse();

        assertThat(store.session("a")).isEmpty();
        assertThat(store.events("a")).isEmpty();
        assertThat(store.sessions()).extracting(SessionInfo::sessionId).containsExactly("b");
        StoreStats stats = store.stats();
        assertThat(stats.sessions()).isEqualTo(1);
        assertThat(stats.retainedEvents()).isEqualTo(1);
        assertThat(stats.estimatedBytes()).isPositive().isLessThan(bytesWithA);

        assertThat(store.delete("b")).isTrue();
        assertThat(store.stats().estimatedBytes()).isZero();
        assertThat(store.stats().retainedEvents()).isZero();
    }

    @Test
    void aDeletedSessionStartsAfreshWhenWrittenAgain() {
        SessionStore store = store();
        store.append(event("a", "x"));
        store.append(event("a", "y"));
        store.delete("a");
        clock.advance(100);

        Event again = store.append(event("a", "z"));

        assertThat(again.sequence()).isEqualTo(1);
        assertThat(store.events("a")).containsExactly(again);
        assertThat(store.session("a").orElseThrow().createdMs()).isEqualTo(T0 + 100);
    }

    @Test
    void aRestartKeepsSessionsEventsSequencesAndDisplaySettings() {
        SessionStore first = createStore(ROOMY, clock);
        Event a1 = first.append(event("a", "Read"));
        Event a2 = first.append(event("a", "Bash", "ls -la"));
        clock.advance(10);
        Event b1 = first.append(event("b", "Read"));
        DisplaySettings custom = new DisplaySettings(false, true, 900L, 3, false);
        first.configureDisplay("a", custom);
        first.close();

        SessionStore second = reopenStore(ROOMY, clock);
        org.junit.jupiter.api.Assumptions.assumeTrue(second != null, "backend keeps nothing across restarts");
        opened.add(second);

        assertThat(second.events("a")).containsExactly(a1, a2);
        assertThat(second.events("b")).containsExactly(b1);
        assertThat(second.session("a").orElseThrow().displaySettings()).isEqualTo(custom);
        assertThat(second.latestSessionId()).contains("b");
        assertThat(second.eventsAfter("a", 1, 10).events()).containsExactly(a2);
        Event a3 = second.append(event("a", "Grep"));
        assertThat(a3.sequence()).isEqualTo(3);
        assertThat(Set.of(a1.id(), a2.id(), b1.id(), a3.id())).hasSize(4);
    }

    private static NewEvent withDetails(String sessionId, String detailsJson) {
        return new NewEvent(sessionId, EventType.TASK_PROGRESS, EventStatus.SUCCESS, T0, null, null, null, "hook",
                null, detailsJson, null);
    }

    @Test
    void theProjectIsTheFirstOneAnEventNamesAndSurvivesARestart() {
        SessionStore first = createStore(ROOMY, clock);
        first.append(event("a", "Read"));
        assertThat(first.session("a").orElseThrow().project()).as("no event named one yet").isNull();
        first.append(withDetails("a", "{\"tool\":{\"cwd\":\"/nested/not/this\"},\"cwd\":\"/home/u/app\"}"));
        first.append(withDetails("a", "{\"cwd\":\"/somewhere/else\"}"));
        first.appendAll(List.of(withDetails("b", "{\"x\":1}"),
                withDetails("b", "{\"cwd\":\"/tmp/b\",\"project\":\"billing\"}"),
                withDetails("c", "{\"project\":\"   \"}")));

        assertThat(first.session("a").orElseThrow().project()).isEqualTo("/home/u/app");
        assertThat(first.session("b").orElseThrow().project()).as("details.project wins over cwd")
                .isEqualTo("billing");
        assertThat(first.session("c").orElseThrow().project()).as("a blank project is none").isNull();
        assertThat(first.sessions()).extracting(SessionInfo::project).containsExactlyInAnyOrder("/home/u/app",
                "billing", null);
        first.close();

        SessionStore second = reopenStore(ROOMY, clock);
        org.junit.jupiter.api.Assumptions.assumeTrue(second != null, "backend keeps nothing across restarts");
        opened.add(second);
        assertThat(second.session("a").orElseThrow().project()).isEqualTo("/home/u/app");
        assertThat(second.session("b").orElseThrow().project()).isEqualTo("billing");
        second.append(withDetails("c", "{\"cwd\":\"/srv/c\"}"));
        assertThat(second.session("c").orElseThrow().project()).isEqualTo("/srv/c");
        second.append(withDetails("a", "{\"project\":\"renamed\"}"));
        assertThat(second.session("a").orElseThrow().project()).as("the first project named stays")
                .isEqualTo("/home/u/app");
    }

    @Test
    void theAgentIsTheFirstOneAnEventNamesAndSurvivesARestart() {
        SessionStore first = createStore(ROOMY, clock);
        first.append(withDetails("a", "{\"agent_id\":\"sub-1\",\"agent_type\":\"Explore\"}"));
        assertThat(first.session("a").orElseThrow().agent()).as("subagent keys are not the agent").isNull();
        first.appendAll(List.of(withDetails("a", "{\"nested\":{\"agent\":\"no\"},\"agent\":\"codex\"}"),
                withDetails("a", "{\"agent\":\"gemini-cli\"}"), withDetails("b", "{\"agent\":\" \"}"),
                withDetails("b", "{\"agent\":42}")));
        assertThat(first.session("a").orElseThrow().agent()).isEqualTo("codex");
        assertThat(first.session("b").orElseThrow().agent()).as("blank or not text: none").isNull();
        first.close();

        SessionStore second = reopenStore(ROOMY, clock);
        org.junit.jupiter.api.Assumptions.assumeTrue(second != null, "backend keeps nothing across restarts");
        opened.add(second);
        assertThat(second.session("a").orElseThrow().agent()).isEqualTo("codex");
        second.append(withDetails("b", "{\"agent\":\"claude-code\"}"));
        assertThat(second.sessions()).extracting(SessionInfo::agent).containsExactlyInAnyOrder("codex",
                "claude-code");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void concurrentAppendsToOneSessionGiveContiguousSequencesWithoutLoss() throws Exception {
        SessionStore store = store();
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<Event>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<Event> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.append(event("shared", "t" + thread + "-" + i)));
                        if (i % 50 == 0) {
                            store.append(event("side-" + thread, "x"));
                        }
                    }
                    return mine;
                }));
            }
            go.countDown();
            Set<Long> ids = new HashSet<>();
            Set<Long> returnedSequences = new HashSet<>();
            for (Future<List<Event>> f : futures) {
                List<Event> mine = f.get(15, TimeUnit.SECONDS);
                // each thread sees its own appends in increasing order
                assertThat(sequences(mine)).isSorted();
                mine.forEach(e -> {
                    ids.add(e.id());
                    returnedSequences.add(e.sequence());
                });
            }
            int total = threads * perThread;
            assertThat(ids).hasSize(total);
            assertThat(returnedSequences).hasSize(total);

            List<Event> stored = store.events("shared");
            assertThat(stored).hasSize(total);
            for (int i = 0; i < total; i++) {
                assertThat(stored.get(i).sequence()).isEqualTo(i + 1L);
            }
            assertThat(stored.stream().map(Event::name).distinct().count()).isEqualTo(total);
            SessionInfo info = store.session("shared").orElseThrow();
            assertThat(info.lastSequence()).isEqualTo(total);
            assertThat(info.retainedEvents()).isEqualTo(total);
            assertThat(store.stats().retainedEvents()).isEqualTo(total + threads * (perThread / 50));
        } finally {
            pool.shutdownNow();
        }
    }
}
