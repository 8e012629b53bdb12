package dev.mos.ingest.transcript.gemini;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds Gemini CLI session files among the paths given to {@code mos import}. Gemini 0.61.0 keeps a session's chat
 * in {@code ~/.gemini/tmp/<project>/chats/session-<time>-<first 8 of the session id>.jsonl} and each subagent's in
 * {@code chats/<session id>/<agent id>.jsonl}. A path may be such a file (a subagent's file brings its session's),
 * or any folder above them ({@code chats}, {@code tmp/<project>}, {@code ~/.gemini/tmp}, {@code ~/.gemini}),
 * searched to {@link #MAX_DEPTH}. A file counts by its first line (a Gemini chat header), not by its name alone, so a
 * Claude Code transcript ({@code <uuid>.jsonl}) is never taken for a subagent chat. Paths holding none are left for
 * the other agents' searches.
 */
public final class GeminiSessionFiles {

    static final int MAX_DEPTH = 5;
    private static final String PREFIX = "session-";
    private static final String SUFFIX = ".jsonl";

    /** One session: its main chat and its subagents' chats by agent id. */
    public record Session(Path main, Map<String, Path> subagents) {
    }

    /** The sessions found, the paths that hold no Gemini session, and what could not be used. */
    public record Found(List<Session> sessions, List<Path> others, List<String> problems) {
    }

    private GeminiSessionFiles() {
    }

    public static Found find(List<Path> paths, JsonMapper json) {
        Map<Path, Session> sessions = new LinkedHashMap<>();
        List<Path> others = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path given : paths) {
            Path path = given.toAbsolutePath().normalize();
            try {
                if (Files.isDirectory(path)) {
                    List<Path> mains;
                    try (Stream<Path> walk = Files.walk(path, MAX_DEPTH)) {
                        mains = walk.filter(f -> isMainName(f) && Files.isRegularFile(f)).sorted().toList();
                    }
                    for (Path main : mains) {
                        JsonNode header = GeminiChat.headerOf(main, json);
                        if (header == null) {
                            problems.add(main + ": not a Gemini CLI session file (its first line is no session "
                                    + "header with sessionId and projectHash)");
                        } else if (!"subagent".equals(header.path("kind").asString(""))) {
                            sessions.putIfAbsent(main, session(main, header));
                        }
                    }
                    if (mains.isEmpty() && !subagentChatsIn(path, json, sessions, problems)) {
                        others.add(given);
                    }
                } else if (Files.isRegularFile(path) && path.toString().endsWith(SUFFIX)) {
                    JsonNode header = GeminiChat.headerOf(path, json);
                    if (header == null) {
                        if (isMainName(path)) {
                            problems.add(given + ": not a Gemini CLI session file (its first line is no session "
                                    + "header with sessionId and projectHash)");
                        } else {
                            others.add(given);
                        }
                    } else if ("subagent".equals(header.path("kind").asString(""))) {
                        withItsSession(path, json, sessions, problems);
                    } else {
                        sessions.putIfAbsent(path, session(path, header));
                    }
                } else {
                    others.add(given);
                }
            } catch (IOException | UncheckedIOException e) {
                problems.add(given + ": cannot be read: " + e.getMessage());
            }
        }
        return new Found(List.copyOf(sessions.values()), others, problems);
    }

    /**
     * A session's own folder ({@code chats/<session id>/}) holds only subagent chats: each brings its session's.
     * False when the folder holds no Gemini subagent chat (then it is another agent's).
     */
    private static boolean subagentChatsIn(Path dir, JsonMapper json, Map<Path, Session> sessions,
            List<String> problems) throws IOException {
        boolean any = false;
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(SUFFIX) && Files.isRegularFile(f)).sorted().toList();
        }
        for (Path f : files) {
            JsonNode header = GeminiChat.headerOf(f, json);
            if (header == null || !"subagent".equals(header.path("kind").asString(""))) {
                continue;
            }
            any = true;
            withItsSession(f, json, sessions, problems);
        }
        return any;
    }

    private static boolean isMainName(Path f) {
        String name = f.getFileName() == null ? "" : f.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    /** The session and the chats in {@code <its folder>/<session id>/} that are subagent chats. */
    private static Session session(Path main, JsonNode header) throws IOException {
        Path dir = main.resolveSibling(header.path("sessionId").asString());
        Map<String, Path> subagents = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(SUFFIX) && Files.isRegularFile(f)).toList()) {
                    String name = f.getFileName().toString();
                    subagents.put(name.substring(0, name.length() - SUFFIX.length()), f);
                }
            }
        }
        return new Session(main, subagents);
    }

    /** Adds the session a subagent chat belongs to, or says that its session's file is not there. */
    private static void withItsSession(Path subagent, JsonMapper json, Map<Path, Session> sessions,
            List<String> problems) throws IOException {
        Path main = mainOfSubagent(subagent, json);
        if (main == null) {
            Path dir = subagent.getParent();
            problems.add(subagent + ": Gemini CLI subagent chat without its session's file (expected a "
                    + "session-*.jsonl of session " + (dir == null ? "?" : dir.getFileName()) + " in "
                    + (dir == null ? "?" : dir.getParent()) + ")");
        } else {
            sessions.putIfAbsent(main, session(main, GeminiChat.headerOf(main, json)));
        }
    }

    /** {@code chats/<session id>/<agent>.jsonl} belongs to the {@code chats/session-*.jsonl} of that session id. */
    private static Path mainOfSubagent(Path file, JsonMapper json) throws IOException {
        Path dir = file.getParent();
        Path chats = dir == null ? null : dir.getParent();
        if (chats == null) {
            return null;
        }
        String sessionId = dir.getFileName().toString();
        String shortId = sessionId.length() < 8 ? sessionId : sessionId.substring(0, 8);
        try (Stream<Path> files = Files.list(chats)) {
            for (Path f : files.filter(f -> isMainName(f) && f.getFileName().toString().endsWith("-" + shortId
                    + SUFFIX)).sorted().toList()) {
                JsonNode header = GeminiChat.headerOf(f, json);
                if (header != null && sessionId.equals(header.path("sessionId").asString(""))) {
                    return f;
                }
            }
        }
        return null;
    }
}
