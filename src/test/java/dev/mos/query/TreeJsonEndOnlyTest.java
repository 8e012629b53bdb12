package dev.mos.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.store.SessionInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An operation of which only the end came, without a duration (a model call from a Codex session file). */
class TreeJsonEndOnlyTest {

    private final QueryFixture fx = new QueryFixture();
    private final TreeJson json = new TreeJson(fx.eventJson);

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void anEndedOperationWithoutDurationRendersWithNone() {
        fx.send("s", "task_started", "T", null, "Prompt", 0);
        fx.send("s", "llm_response", "L", "T", "gpt-5.1-codex", 50, null, Map.of("input_tokens", 1200));
        SessionInfo info = fx.query.resolve("s");
        RenderOptions options = fx.query.renderOptions(info, true, null);

        List<Map<String, Object>> roots = json.roots(fx.query.tree(info), options);

        @SuppressWarnings("unchecked")
        Map<String, Object> llm = ((List<Map<String, Object>>) roots.getFirst().get("children")).getFirst();
        assertThat(llm).containsEntry("kind", "llm").containsEntry("status", "success").containsEntry("duration_ms",
                null);
    }
}
