package dev.mos.ingest.transcript.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.EventIdentity;
import dev.mos.ingest.transcript.TranscriptMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real session files imported into a session the live channel already holds: the live operations are stood in
 * for by the import's own, renamed to ids of the live mapping's form ({@code prompt:<prompt id>},
 * {@code tool:<prompt>:<tool>:<time>:<args>}, {@code llm:<prompt>:<time>}), logged a few milliseconds apart, with
 * the arguments serialized in another key order. (GeminiCliIT checks the same against a real live run.)
 */
class GeminiLiveMatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private final GeminiSessionMapper mapper = new GeminiSessionMapper(JSON, CapturePolicy.defaults());
    private final GeminiLiveMatch match = new GeminiLiveMatch(JSON);

    @Test
    void aSessionSeenLiveGetsNothingTwice() throws Exception {
        TranscriptMapper.Mapped mapped = GeminiSessionMapperTest.mapped(GeminiSessionMapperTest.geminiHome(tmp), mapper);
        List<JsonNode> live = live(mapped, true, 7);
        GeminiLiveMatch.Matched matched = match.apply(mapped, live);
        // the task, four tools of the main loop, two of the subagent, eight model calls; the subagent already
        // has the live id
        assertThat(matched.operations()).isEqualTo(15);
        assertThat(EventIdentity.newOnes(matched.mapped().events(), identities(live))).isEmpty();
    }

    @Test
    void withoutLoggedPromptsTheLiveSideHasNoArgumentsAndAnAnonymousTaskAndStillMatches() throws Exception {
        TranscriptMapper.Mapped mapped = GeminiSessionMapperTest.mapped(GeminiSessionMapperTest.geminiHome(tmp), mapper);
        List<JsonNode> live = live(mapped, false, -4);
        GeminiLiveMatch.Matched matched = match.apply(mapped, live);
        assertThat(matched.operations()).isEqualTo(15);
        assertThat(EventIdentity.newOnes(matched.mapped().events(), identities(live))).isEmpty();
    }

    @Test
    void liveOperationsOfOtherTimesAreNotTaken() throws Exception {
        TranscriptMapper.Mapped mapped = GeminiSessionMapperTest.mapped(GeminiSessionMapperTest.geminiHome(tmp), mapper);
        List<JsonNode> live = live(mapped, true, GeminiLiveMatch.TOLERANCE_MS + 1_000);
        GeminiLiveMatch.Matched matched = match.apply(mapped, live);
        assertThat(matched.operations()).isZero();
        assertThat(matched.mapped().events()).isEqualTo(mapped.events());
    }

    @Test
    void aPreviousImportIsNoLiveOperation() throws Exception {
        TranscriptMapper.Mapped mapped = GeminiSessionMapperTest.mapped(GeminiSessionMapperTest.geminiHome(tmp), mapper);
        List<JsonNode> stored = mapped.events().stream().map(e -> (JsonNode) JSON.valueToTree(e)).toList();
        GeminiLiveMatch.Matched matched = match.apply(mapped, stored);
        assertThat(matched.operations()).isZero();
        assertThat(EventIdentity.newOnes(matched.mapped().events(), identities(stored))).isEmpty();
    }

    /** What the live channel would hold: the import's operations under live-style ids, {@code shiftMs} apart. */
    @SuppressWarnings("unchecked")
    private static List<JsonNode> live(TranscriptMapper.Mapped mapped, boolean prompts, long shiftMs) {
        String prompt = GeminiSessionMapperTest.SESSION; // gemini -p: the prompt id is the session id
        Map<String, String> ids = new HashMap<>();
        for (Map<String, Object> e : mapped.events()) {
            String id = (String) e.get("correlation_id");
            Map<String, Object> d = (Map<String, Object>) e.get("details");
            String scope = e.get("parent_id") instanceof String p && p.startsWith("agent:")
                    ? p.substring("agent:".length()) + "#0" : prompt;
            if (id.startsWith("prompt:")) {
                ids.put(id, "prompt:" + prompt);
            } else if (id.startsWith("llm:")) {
                ids.putIfAbsent(id, "llm:" + scope + ":" + e.get("timestamp"));
            } else if (!id.startsWith("agent:")) {
                ids.putIfAbsent(id, "tool:" + scope + ":" + d.get("name") + ":" + e.get("timestamp"));
            }
        }
        List<JsonNode> out = new ArrayList<>();
        for (Map<String, Object> e : mapped.events()) {
            Map<String, Object> copy = new LinkedHashMap<>(e);
            copy.put("correlation_id", ids.getOrDefault((String) e.get("correlation_id"),
                    (String) e.get("correlation_id")));
            if (e.get("parent_id") instanceof String p) {
                copy.put("parent_id", ids.getOrDefault(p, p));
            }
            copy.put("timestamp", Instant.parse((String) e.get("timestamp")).plusMillis(shiftMs).toString());
            Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) e.get("details"));
            d.put("source", "otel");
            if (d.get("arguments") instanceof String a) {
                if (prompts) {
                    // Gemini's function_args: the same arguments, its own key order
                    Map<String, Object> args = JSON.readValue(a, LinkedHashMap.class);
                    Map<String, Object> reversed = new LinkedHashMap<>();
                    new ArrayList<>(args.keySet()).reversed().forEach(k -> reversed.put(k, args.get(k)));
                    d.put("arguments", JSON.writeValueAsString(reversed));
                } else {
                    d.remove("arguments");
                }
            }
            if (!prompts && "task_started".equals(e.get("event_type"))) {
                d.put("name", "Prompt");
            }
            copy.put("details", d);
            out.add(JSON.valueToTree(copy));
        }
        return out;
    }

    private static Set<String> identities(List<JsonNode> events) {
        Set<String> out = new HashSet<>();
        events.forEach(e -> out.add(EventIdentity.of(e.path("event_type").asString(null),
                e.path("correlation_id").asString(null))));
        return out;
    }
}
