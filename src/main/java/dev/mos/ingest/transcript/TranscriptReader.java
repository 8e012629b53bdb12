package dev.mos.ingest.transcript;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a transcript file: one JSON object per line. A line that is not a JSON object is reported by number and
 * skipped (Claude Code may be writing the last line right now); a file with no usable entry at all is refused.
 */
public final class TranscriptReader {

    /** The entries of one file, and the lines that were skipped, each with its reason. */
    public record Transcript(Path file, List<JsonNode> entries, List<String> badLines) {
    }

    private final JsonMapper json;

    public TranscriptReader(JsonMapper json) {
        this.json = json;
    }

    /** Throws {@link TranscriptException} naming the file when it cannot be read or holds no transcript. */
    public Transcript read(Path file) {
        Transcript t = lines(file);
        List<JsonNode> entries = t.entries();
        List<String> bad = t.badLines();
        boolean transcript = entries.stream().anyMatch(e -> e.path("sessionId").isString()
                && e.has("type"));
        if (!transcript) {
            throw new TranscriptException(file + ": not a Claude Code transcript (no line has a sessionId and a "
                    + "type" + (bad.isEmpty() ? "" : "; " + bad.size() + " lines are not JSON objects, first "
                    + bad.getFirst()) + ")");
        }
        return t;
    }

    /** An OpenAI Codex session file ({@code rollout-*.jsonl}): refused without a {@code session_meta} line. */
    public Transcript readCodex(Path file) {
        Transcript t = lines(file);
        if (t.entries().stream().noneMatch(e -> e.path("type").asString("").equals("session_meta"))) {
            throw new TranscriptException(file + ": not a Codex session file (no session_meta line)");
        }
        return t;
    }

    private Transcript lines(Path file) {
        List<JsonNode> entries = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = json.readTree(line);
                    if (node != null && node.isObject()) {
                        entries.add(node);
                    } else {
                        bad.add("line " + number + ": not a JSON object");
                    }
                } catch (JacksonException e) {
                    bad.add("line " + number + ": not JSON (" + e.getOriginalMessage() + ")");
                }
            }
        } catch (IOException e) {
            throw new TranscriptException(file + ": cannot be read: " + e.getMessage());
        }
        return new Transcript(file, List.copyOf(entries), List.copyOf(bad));
    }
}
