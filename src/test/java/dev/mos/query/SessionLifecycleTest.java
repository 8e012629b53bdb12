package dev.mos.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.store.SessionInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Start, end, metric points and MCP connections go to the header; the tree keeps the work; the export keeps all. */
class SessionLifecycleTest {

    private final QueryFixture fx = new QueryFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void lifecycleRecordsLeaveTheTreeForTheHeaderAndStayInTheExport() {
        fx.send("s", "task_progress", "hook:SessionStart:1", null, "SessionStart", 0, null,
                Map.of("source", "resume", "model", "claude-opus-4", "git_branch", "fix/login"));
        fx.send("s", "task_started", "T", null, "Fix it", 10, null, Map.of("permission_mode", "plan"));
        fx.send("s", "task_progress", "otel_metrics", null, "OTel metrics", 20, null, Map.of("metric", "m", "value", 1));
        fx.send("s", "task_progress", "otel_metrics", null, "OTel metrics", 30, null, Map.of("metric", "m", "value", 2));
        fx.send("s", "task_progress", "otel:mcp_server_connection:1", null, "mcp_server_connection", 40, null,
                Map.of("server_name", "github", "status", "connected"));
        fx.send("s", "task_complete", "T", null, null, 50);
        fx.send("s", "task_progress", "hook:SessionEnd:1", null, "SessionEnd", 60, null, Map.of("reason", "logout"));

        SessionView view = fx.query.view("s");
        SessionLifecycle lc = view.lifecycle();
        assertThat(lc.startedMs()).isEqualTo(QueryFixture.T0);
        assertThat(lc.endedMs()).isEqualTo(QueryFixture.T0 + 60);
        assertThat(lc.endReason()).isEqualTo("logout");
        assertThat(lc.source()).isEqualTo("resume");
        assertThat(lc.model()).isEqualTo("claude-opus-4");
        assertThat(lc.permissionMode()).isEqualTo("plan");
        assertThat(lc.gitBranch()).isEqualTo("fix/login");
        assertThat(lc.metricPoints()).isEqualTo(2);
        assertThat(lc.mcpServers()).containsExactly(new SessionLifecycle.McpServer("github", "connected"));

        SessionInfo info = view.info();
        RenderOptions options = fx.query.renderOptions(info, true, null);
        TreeJson json = new TreeJson(fx.eventJson);
        assertThat(json.roots(view.tree(), options)).extracting(n -> n.get("name")).containsExactly("Fix it");
        assertThat(json.compactRoots(view.tree(), options)).hasSize(1);
        assertThat(SessionLifecycle.operationCount(view.tree())).as("the task alone").isEqualTo(1);
        assertThat(fx.treeText.render(view.tree(), options, TextStyle.PLAIN)).doesNotContain("SessionStart")
                .contains("Fix it");
        List<Map<String, Object>> all = json.allRoots(view.tree(), options);
        assertThat(all).extracting(n -> n.get("name")).contains("SessionStart", "SessionEnd", "OTel metrics",
                "mcp_server_connection", "Fix it");
        assertThat(SessionJson.summary(view, fx.clock.millis())).containsEntry("title", "Fix it")
                .containsKey("lifecycle");
    }
}
