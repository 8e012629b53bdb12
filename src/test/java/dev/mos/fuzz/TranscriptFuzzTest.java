package dev.mos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.TranscriptException;
import dev.mos.ingest.transcript.TranscriptMapper;
import dev.mos.ingest.transcript.TranscriptReader;
import dev.mos.ingest.transcript.TranscriptReader.Transcript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * What {@code mos import} does with a transcript file: TranscriptReader reads it (from disk, as the command does),
 * TranscriptMapper maps it and its subagent's transcript, and the events go through the pipeline the server's
 * batch endpoint uses. The input is the main transcript, optionally followed by a line holding only a form feed
 * and the subagent's transcript. The contract: a TranscriptException naming the file, or events the server
 * stores or refuses one by one; nothing else may escape.
 */
class TranscriptFuzzTest {

    private static final IngestWorld WORLD = new IngestWorld();
    private static final byte[] SUBAGENT_SEPARATOR = {'\n', '\f', '\n'};
    private static final Path DIR;
    private static final Path MAIN;
    private static final Path SUB;

    static {
        try {
            DIR = Files.createTempDirectory("mos-fuzz-transcript");
            MAIN = DIR.resolve("main.jsonl");
            SUB = DIR.resolve("agent-fuzz.jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final TranscriptReader reader = new TranscriptReader(IngestWorld.JSON);
    private final TranscriptMapper mapper = new TranscriptMapper(IngestWorld.JSON, CapturePolicy.defaults());

    @FuzzTest(maxDuration = FuzzBounds.TEST_RUN)
    @DictionaryEntries({"\"sessionId\"", "\"type\"", "\"user\"", "\"assistant\"", "\"api-request\"", "\"message\"",
            "\"content\"", "\"tool_use\"", "\"tool_result\"", "\"tool_use_id\"", "\"id\"", "\"name\"", "\"input\"",
            "\"timestamp\"", "\"promptId\"", "\"uuid\"", "\"requestId\"", "\"requestRef\"", "\"model\"", "\"usage\"",
            "\"stop_reason\"", "\"isMeta\"", "\"isSidechain\"", "\"isApiErrorMessage\"", "\"toolUseResult\"",
            "\"agentId\"", "\"is_error\"", "\"text\"", "\"Agent\"", "\"Task\"", "\"mcp__", "\"input_tokens\"",
            "\"output_tokens\"", "\"2026-11-25T15:04:05.123Z\"", "\\x0A"})
    void transcript(byte[] input) throws IOException {
        int split = indexOf(input, SUBAGENT_SEPARATOR);
        Files.write(MAIN, split < 0 ? input : Arrays.copyOfRange(input, 0, split));
        Map<String, Transcript> subagents = Map.of();
        Transcript main;
        try {
            main = reader.read(MAIN);
            if (split >= 0) {
                Files.write(SUB, Arrays.copyOfRange(input, split + SUBAGENT_SEPARATOR.length, input.length));
                subagents = Map.of("fuzz", reader.read(SUB));
            }
        } catch (TranscriptException e) {
            assertThat(e.getMessage()).as("names the file").contains(DIR.toString());
            return;
        }
        TranscriptMapper.Mapped mapped = mapper.map(main, subagents);
        assertThat(mapped.sessionId()).isNotNull();
        // the server judges each event on its own (refusals are reported by mos import); none may break it
        WORLD.pipeline.acceptBatch(mapped.events(), "fuzz");
        WORLD.checkStored();
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
