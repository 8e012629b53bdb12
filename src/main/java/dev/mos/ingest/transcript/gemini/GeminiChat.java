package dev.mos.ingest.transcript.gemini;

import dev.mos.ingest.transcript.TranscriptException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Gemini CLI chat file as Gemini itself reads it back ({@code loadConversationRecord} in 0.61.0): the file is a
 * log of records, not of messages. The header (first line: {@code sessionId}, {@code projectHash}, {@code kind})
 * starts it; a message line ({@code id}) adds a message or replaces the one with that id in place (a gemini message
 * is written again once its tools ran); {@code {"$set": {...}}} updates the header, and with {@code messages}
 * replaces them all; {@code {"$rewindTo": id}} drops that message and everything after it.
 *
 * @param file where it was read from
 * @param sessionId the header's id: the session's (OTLP {@code session.id}), or for a subagent its agent id
 * @param kind {@code main} or {@code subagent}
 * @param header the header with every {@code $set} applied (e.g. {@code summary}, {@code startTime})
 * @param messages the messages that remain, in the order they were first written
 * @param repeatedLines message lines that replaced an earlier line of the same id
 * @param badLines lines that were not JSON objects, each with its number
 */
public record GeminiChat(Path file, String sessionId, String kind, Map<String, JsonNode> header,
        List<JsonNode> messages, int repeatedLines, List<String> badLines) {

    public boolean subagent() {
        return "subagent".equals(kind);
    }

    /** The header of a file (its first line), or null when it is not a Gemini CLI chat header. */
    static JsonNode headerOf(Path file, JsonMapper json) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            JsonNode first = line == null || line.isBlank() ? null : json.readTree(line);
            return isHeader(first) ? first : null;
        } catch (IOException | JacksonException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    private static boolean isHeader(JsonNode node) {
        return node != null && node.isObject() && node.path("sessionId").isString()
                && node.path("projectHash").isString() && !node.has("id");
    }

    /** Reads a chat; refused, naming the file, when it cannot be read or does not start with a Gemini header. */
    public static GeminiChat read(Path file, JsonMapper json) {
        Map<String, JsonNode> header = new LinkedHashMap<>();
        Map<String, JsonNode> messages = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        int repeated = 0;
        boolean started = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record;
                try {
                    record = json.readTree(line);
                } catch (JacksonException e) {
                    bad.add("line " + number + ": not JSON (" + e.getOriginalMessage() + ")");
                    continue;
                }
                if (record == null || !record.isObject()) {
                    bad.add("line " + number + ": not a JSON object");
                    continue;
                }
                if (!started) {
                    if (!isHeader(record)) {
                        throw new TranscriptException(file + ": not a Gemini CLI session file (line " + number
                                + " is no session header with sessionId and projectHash)");
                    }
                    started = true;
                }
                if (record.path("$rewindTo").isString()) {
                    rewind(messages, record.path("$rewindTo").asString());
                } else if (record.path("id").isString()) {
                    if (messages.put(record.path("id").asString(), record) != null) {
                        repeated++;
                    }
                } else if (record.path("$set").isObject()) {
                    JsonNode set = record.path("$set");
                    if (set.path("messages").isArray()) {
                        messages.clear();
                        set.path("messages").forEach(m -> {
                            if (m.path("id").isString()) {
                                messages.put(m.path("id").asString(), m);
                            }
                        });
                    }
                    set.properties().forEach(p -> {
                        if (!p.getKey().equals("messages")) {
                            header.put(p.getKey(), p.getValue());
                        }
                    });
                } else if (isHeader(record)) {
                    record.properties().forEach(p -> header.put(p.getKey(), p.getValue()));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new TranscriptException(file + ": cannot be read: " + e.getMessage());
        }
        if (!started) {
            throw new TranscriptException(file + ": not a Gemini CLI session file (no session header"
                    + (bad.isEmpty() ? "" : "; " + bad.size() + " lines are not JSON objects, first " + bad.getFirst())
                    + ")");
        }
        String sessionId = header.get("sessionId").asString();
        String kind = header.containsKey("kind") ? header.get("kind").asString("main") : "main";
        return new GeminiChat(file, sessionId, kind, Map.copyOf(header), List.copyOf(messages.values()), repeated,
                List.copyOf(bad));
    }

    /** As Gemini does: the message and all after it go; an id it does not know clears them all. */
    private static void rewind(Map<String, JsonNode> messages, String id) {
        if (!messages.containsKey(id)) {
            messages.clear();
            return;
        }
        boolean found = false;
        for (var it = messages.keySet().iterator(); it.hasNext();) {
            if (it.next().equals(id)) {
                found = true;
            }
            if (found) {
                it.remove();
            }
        }
    }
}
