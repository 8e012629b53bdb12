package dev.mos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.TranscriptException;
import dev.mos.ingest.transcript.TranscriptMapper;
import dev.mos.ingest.transcript.gemini.GeminiChat;
import dev.mos.ingest.transcript.gemini.GeminiLiveMatch;
import dev.mos.ingest.transcript.gemini.GeminiSessionFiles;
import dev.mos.ingest.transcript.gemini.GeminiSessionMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What {@code mos import} does with a Gemini CLI session file: GeminiSessionFiles finds it (by its first line),
 * GeminiChat reads it from disk, GeminiSessionMapper maps it with its subagent's chat, GeminiLiveMatch puts it onto
 * "live" events (the mapped ones again, as the live channel's), and the events go through the pipeline the server's
 * batch endpoint uses. The input is the main chat, optionally followed by a line holding only a form feed and the
 * subagent's chat. The contract: a TranscriptException naming the file, or events the server stores or refuses one
 * by one; nothing else may escape.
 */
class GeminiSessionFuzzTest {

    private static final IngestWorld WORLD = new IngestWorld();
    private static final byte[] SUBAGENT_SEPARATOR = {'\n', '\f', '\n'};
    private static final Path DIR;
    private static final Path MAIN;
    private static final Path SUB;

    static {
        try {
            DIR = Files.createTempDirectory("mos-fuzz-gemini");
            MAIN = DIR.resolve("session-2026-12-07T10-59-fuzz.jsonl");
            SUB = DIR.resolve("agent-fuzz.jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final GeminiSessionMapper mapper = new GeminiSessionMapper(IngestWorld.JSON, CapturePolicy.defaults());
    private final GeminiLiveMatch match = new GeminiLiveMatch(IngestWorld.JSON);

    @FuzzTest(maxDuration = FuzzBounds.TEST_RUN)
    @DictionaryEntries({"\"sessionId\"", "\"projectHash\"", "\"kind\"", "\"main\"", "\"subagent\"", "\"startTime\"",
            "\"$set\"", "\"$rewindTo\"", "\"messages\"", "\"summary\"", "\"id\"", "\"timestamp\"", "\"type\"",
            "\"user\"", "\"gemini\"", "\"content\"", "\"displayContent\"", "\"text\"", "\"functionResponse\"",
            "\"response\"", "\"output\"", "\"error\"", "\"tokens\"", "\"input\"", "\"cached\"", "\"model\"",
            "\"toolCalls\"", "\"name\"", "\"args\"", "\"result\"", "\"status\"", "\"success\"", "\"agentId\"",
            "\"invoke_agent\"", "\"run_shell_command\"", "\"mcp_mos_list_sessions\"", "\"displayName\"",
            "\"Exit Code: 3\"", "\"Termination Reason: GOAL\"", "\"<session_context>\"",
            "\"2026-12-07T10:59:30.145Z\"", "\\x0A"})
    void session(byte[] input) throws IOException {
        int split = indexOf(input, SUBAGENT_SEPARATOR);
        Files.write(MAIN, split < 0 ? input : Arrays.copyOfRange(input, 0, split));
        GeminiSessionFiles.Found found = GeminiSessionFiles.find(List.of(DIR, MAIN), IngestWorld.JSON);
        assertThat(found.problems()).allSatisfy(p -> assertThat(p).contains(DIR.toString()));
        GeminiChat main;
        Map<String, GeminiChat> subagents = new LinkedHashMap<>();
        try {
            main = GeminiChat.read(MAIN, IngestWorld.JSON);
            if (split >= 0) {
                Files.write(SUB, Arrays.copyOfRange(input, split + SUBAGENT_SEPARATOR.length, input.length));
                GeminiChat sub = GeminiChat.read(SUB, IngestWorld.JSON);
                subagents.put(sub.sessionId(), sub);
            }
            TranscriptMapper.Mapped mapped = mapper.map(main, subagents);
            assertThat(mapped.sessionId()).isNotNull();
            List<JsonNode> live = new ArrayList<>();
            for (Map<String, Object> e : mapped.events()) {
                JsonNode node = IngestWorld.JSON.valueToTree(e);
                if (node.path("details").isObject()) {
                    ((tools.jackson.databind.node.ObjectNode) node.path("details")).put("source", "otel");
                }
                live.add(node);
            }
            GeminiLiveMatch.Matched matched = match.apply(mapped, live);
            // the server judges each event on its own (refusals are reported by mos import); none may break it
            WORLD.pipeline.acceptBatch(matched.mapped().events(), "fuzz");
            WORLD.checkStored();
        } catch (TranscriptException e) {
            assertThat(e.getMessage()).as("names the file").contains(DIR.toString());
        }
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
