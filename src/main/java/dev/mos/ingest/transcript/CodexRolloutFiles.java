package dev.mos.ingest.transcript;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds OpenAI Codex CLI session files among the paths given to {@code mos import}: {@code rollout-*.jsonl} files,
 * or folders holding them at any depth up to {@link #MAX_DEPTH} ({@code ~/.codex/sessions}, a day's folder). A
 * subagent's file names its session ({@code session_meta.session_id}, the root thread) and is grouped with it.
 * Paths without any are left for the Claude Code transcript search.
 */
public final class CodexRolloutFiles {

    static final int MAX_DEPTH = 6;
    private static final String PREFIX = "rollout-";
    private static final String SUFFIX = ".jsonl";

    /** One Codex session: its root thread's file and its subagents' files by thread id. */
    public record Session(Path root, Map<String, Path> subagents) {
    }

    /** The sessions found, the paths that hold no Codex files, and what could not be used. */
    public record Found(List<Session> sessions, List<Path> others, List<String> problems) {
    }

    private CodexRolloutFiles() {
    }

    public static Found find(List<Path> paths, JsonMapper json) {
        List<Path> files = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path given : paths) {
            Path path = given.toAbsolutePath().normalize();
            if (Files.isRegularFile(path) && isRollout(path)) {
                files.add(path);
            } else if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path, MAX_DEPTH)) {
                    List<Path> found = walk.filter(f -> isRollout(f) && Files.isRegularFile(f)).sorted().toList();
                    if (found.isEmpty()) {
                        others.add(given);
                    }
                    files.addAll(found);
                } catch (IOException | UncheckedIOException e) {
                    problems.add(given + ": cannot be read: " + e.getMessage());
                }
            } else {
                others.add(given);
            }
        }
        Map<String, Path> roots = new LinkedHashMap<>();
        Map<String, Map<String, Path>> children = new LinkedHashMap<>();
        for (Path f : files) {
            JsonNode meta = firstMeta(f, json);
            String id = meta == null ? null : meta.path("id").asString(null);
            if (id == null) {
                problems.add(f + ": not a Codex session file (its first line is no session_meta with an id)");
                continue;
            }
            String session = meta.path("session_id").asString(id);
            if (meta.hasNonNull("parent_thread_id") || !session.equals(id)) {
                children.computeIfAbsent(session, k -> new TreeMap<>()).put(id, f);
            } else {
                roots.putIfAbsent(id, f);
            }
        }
        List<Session> sessions = new ArrayList<>();
        roots.forEach((id, root) -> sessions.add(new Session(root, children.getOrDefault(id, Map.of()))));
        children.forEach((session, subs) -> {
            if (!roots.containsKey(session)) {
                problems.add(subs.values().iterator().next() + ": subagent session file without its session's file"
                        + " (thread " + session + ")");
            }
        });
        return new Found(sessions, others, problems);
    }

    private static boolean isRollout(Path f) {
        String name = f.getFileName() == null ? "" : f.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    private static JsonNode firstMeta(Path f, JsonMapper json) {
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            JsonNode first = line == null ? null : json.readTree(line);
            return first != null && first.path("type").asString("").equals("session_meta")
                    ? first.path("payload") : null;
        } catch (IOException | JacksonException e) {
            return null;
        }
    }
}
