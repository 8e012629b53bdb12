package dev.mos.query;

import static dev.mos.query.QueryFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.DisplaySettings;
import dev.mos.store.SessionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TreeTextTest {

    private final QueryFixture fx = new QueryFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private String render(String session, boolean includeCompleted, Integer maxDepth, TextStyle style) {
        SessionInfo info = fx.query.resolve(session);
        return fx.treeText.render(fx.query.tree(info), fx.query.renderOptions(info, includeCompleted, maxDepth),
                style);
    }

    @Test
    void durationsAreFormattedForHumans() {
        assertThat(Durations.format(0)).isEqualTo("0ms");
        assertThat(Durations.format(245)).isEqualTo("245ms");
        assertThat(Durations.format(999)).isEqualTo("999ms");
        assertThat(Durations.format(1_000)).isEqualTo("1.0s");
        assertThat(Durations.format(1_200)).isEqualTo("1.2s");
        assertThat(Durations.format(75_000)).isEqualTo("1m 15s");
        assertThat(Durations.format(3_599_000)).isEqualTo("59m 59s");
        assertThat(Durations.format(7_500_000)).isEqualTo("2h 5m");
        assertThat(Durations.iso(T0)).isEqualTo("2025-11-24T16:00:00Z");
    }

    @Test
    void claudeCodeStyleShowsBranchesIconsStatusesDurationsAndSlowFlags() {
        fx.demoSession("s1");

        String text = render("s1", true, null, TextStyle.CLAUDE_CODE);

        assertThat(text).isEqualTo("""
                └─ 📋 Implement feature 🔄 1m 40s running 🐢 SLOW (>500ms)
                   ├─ 🔧 Read ✅ 245ms
                   ├─ 🔧 Bash ❌ 1.2s 🐢 SLOW (>500ms) ← ERROR: exit code 1
                   ├─ 🔌 mcp__github__search ✅ 1m 15s 🐢 SLOW (>500ms)
                   └─ 🔬 researcher 🔄 20.0s running 🐢 SLOW (>500ms)
                """);
    }

    @Test
    void plainStyleUsesAsciiAndWords() {
        fx.demoSession("s1");

        String text = render("s1", true, null, TextStyle.PLAIN);

        assertThat(text).startsWith("`- [task] Implement feature (running) 1m 40s so far SLOW (>500ms)\n")
                .contains("   |- [tool] Read (success) 245ms\n")
                .contains("   |- [tool] Bash (error) 1.2s SLOW (>500ms) <- ERROR: exit code 1\n")
                .contains("   `- [subagent] researcher (running) 20.0s so far SLOW (>500ms)\n")
                .doesNotContain("├─").doesNotContain("✅");
    }

    @Test
    void slowFlagFollowsTheSessionThreshold() {
        fx.demoSession("s1");
        fx.query.configureDisplay("s1", new DisplaySettings(true, false, 2_000L, 10, true));

        String text = render("s1", true, null, TextStyle.CLAUDE_CODE);

        assertThat(text).contains("├─ 🔧 Bash ❌ 1.2s ← ERROR: exit code 1\n")
                .contains("├─ 🔌 mcp__github__search ✅ 1m 15s 🐢 SLOW (>2.0s)\n")
                .doesNotContain("(>500ms)");
    }

    @Test
    void timingsAndErrorHighlightsCanBeSwitchedOff() {
        fx.demoSession("s1");
        fx.query.configureDisplay("s1", new DisplaySettings(false, false, 100_000L, 10, false));

        String text = render("s1", true, null, TextStyle.CLAUDE_CODE);

        assertThat(text).contains("├─ 🔧 Bash ❌\n").contains("├─ 🔧 Read ✅\n").doesNotContain("ERROR")
                .doesNotContain("SLOW").doesNotContain("245ms");
    }

    @Test
    void droppedEventsAreNoted() {
        try (QueryFixture small = new QueryFixture(3)) {
            small.send("s", "tool_pre_call", "r", null, "Read", 0);
            small.send("s", "tool_pre_call", "b", null, "Bash", 10);
            small.send("s", "tool_pre_call", "g", null, "Grep", 20);
            small.send("s", "tool_post_call", "r", null, null, 100, 100L, null);
            small.send("s", "tool_post_call", "g", null, null, 200, 180L, null);
            SessionInfo info = small.query.resolve("s");
            // the Read start is dropped and its end carries no name: the kind stands in for it

            String text = small.treeText.render(small.query.tree(info),
                    small.query.renderOptions(info, true, null), TextStyle.CLAUDE_CODE);

            assertThat(info.droppedEvents()).isEqualTo(2);
            assertThat(text).isEqualTo("""
                    ├─ 🔧 tool ✅ 100ms (start not seen)
                    └─ 🔧 Grep ✅ 180ms
                    ⚠️ 2 older events were dropped (maxEventsPerSession); operations they opened show without a start
                    """);
        }
    }

    @Test
    void maxDepthTruncatesNestedOperations() {
        fx.demoSession("s1");

        String text = render("s1", true, 1, TextStyle.CLAUDE_CODE);

        assertThat(text).isEqualTo("""
                └─ 📋 Implement feature 🔄 1m 40s running 🐢 SLOW (>500ms)
                   └─ … 4 nested operations (max depth 1)
                """);
    }

    @Test
    void sessionMaxTreeDepthCapsTheRequestedDepth() {
        fx.demoSession("s1");
        fx.send("s1", "tool_pre_call", "deep", "D", "Read", 90_000);
        fx.query.configureDisplay("s1", new DisplaySettings(true, false, null, 2, true));

        String text = render("s1", true, 10, TextStyle.CLAUDE_CODE);

        assertThat(text).contains("└─ 🔬 researcher 🔄")
                .contains("      └─ … 1 nested operations (max depth 2)")
                .doesNotContain("🔧 Read 🔄");
    }

    @Test
    void includeCompletedFalseHidesFinishedBranches() {
        fx.send("s1", "task_started", "early", null, "Earlier task", -5_000);
        fx.send("s1", "task_complete", "early", null, null, -4_000);
        fx.demoSession("s1");

        String all = render("s1", true, null, TextStyle.CLAUDE_CODE);
        String running = render("s1", false, null, TextStyle.CLAUDE_CODE);

        assertThat(all).startsWith("├─ 📋 Earlier task ✅ 1.0s 🐢 SLOW (>500ms)\n").contains("Read");
        assertThat(running).isEqualTo("""
                └─ 📋 Implement feature 🔄 1m 40s running 🐢 SLOW (>500ms)
                   └─ 🔬 researcher 🔄 20.0s running 🐢 SLOW (>500ms)
                """);
    }

    @Test
    void fastOperationsCanBeCollapsed() {
        fx.send("s", "task_started", "t", null, "Task", 0);
        for (int i = 0; i < 3; i++) {
            fx.call("s", "tool", "r" + i, "t", "Read", 10 + i * 10L, 5, false);
        }
        fx.call("s", "tool", "slow", "t", "Bash", 100, 900, false);
        fx.send("s", "task_complete", "t", null, null, 2_000);
        fx.query.configureDisplay("s", new DisplaySettings(true, true, null, 10, true));

        String text = render("s", true, null, TextStyle.CLAUDE_CODE);

        assertThat(text).contains("   ├─ … 3 fast operations (15ms total)\n")
                .contains("   └─ 🔧 Bash ✅ 900ms 🐢 SLOW (>500ms)\n")
                .doesNotContain("Read");
    }

    @Test
    void emptyTreeSaysSo() {
        String text = fx.treeText.render(dev.mos.model.TreeBuilder.build("x", java.util.List.of(), 0),
                RenderOptions.of(DisplaySettings.DEFAULTS, 500, true, null, T0), TextStyle.CLAUDE_CODE);

        assertThat(text).isEqualTo("(no operations yet)\n");
    }
}
