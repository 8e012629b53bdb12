package dev.mos.query;

import static dev.mos.query.QueryFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.store.SessionInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The compact tree the dashboard draws: the same nodes as the full JSON tree, with only what is drawn. */
class TreeJsonCompactTest {

    private final QueryFixture fx = new QueryFixture();
    private final TreeJson json = new TreeJson(fx.eventJson);

    @AfterEach
    void close() {
        fx.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> children(Map<String, Object> node) {
        return (List<Map<String, Object>>) node.get("children");
    }

    @Test
    void compactNodesCarryWhatTheDashboardDrawsAndNothingElse() {
        fx.demoSession("s");
        SessionInfo info = fx.query.resolve("s");
        RenderOptions options = fx.query.renderOptions(info, true, null);

        List<Map<String, Object>> roots = json.compactRoots(fx.query.tree(info), options);

        assertThat(roots).hasSize(1);
        Map<String, Object> task = roots.getFirst();
        assertThat(task).containsEntry("id", "T").containsEntry("kind", "task").containsEntry("status", "running")
                .containsEntry("start_ms", T0).containsEntry("duration_ms", 100_000L).containsEntry("slow", true)
                .doesNotContainKeys("attributes", "event_ids", "progress", "start", "end", "error");
        List<Map<String, Object>> kids = children(task);
        assertThat(kids).extracting(k -> k.get("name")).containsExactly("Read", "Bash", "mcp__github__search",
                "researcher");
        assertThat(kids.get(0)).containsEntry("duration_ms", 245L).doesNotContainKeys("slow", "children", "icon");
        assertThat(kids.get(1)).containsEntry("status", "error").containsEntry("error", "exit code 1");
        assertThat(kids.get(3)).containsEntry("icon", "🔬").containsEntry("kind", "subagent");

        Map<String, Object> shallow = json.compactRoots(fx.query.tree(info), fx.query.renderOptions(info, true, 1))
                .getFirst();
        assertThat(shallow).containsEntry("children_truncated", 4).doesNotContainKey("children");
        assertThat(json.compactRoots(fx.query.tree(info), fx.query.renderOptions(info, false, null))).hasSize(1);
    }
}
