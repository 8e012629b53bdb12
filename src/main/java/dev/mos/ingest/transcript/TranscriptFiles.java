package dev.mos.ingest.transcript;

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

/**
 * Finds the sessions behind the paths a user gives: a transcript file ({@code <session>.jsonl}), a project folder
 * (its {@code *.jsonl}), or a folder of project folders such as {@code ~/.claude/projects}. A session's subagent
 * transcripts are picked up from {@code <session>/subagents/agent-<id>.jsonl} next to it. A subagent file given on
 * its own is imported with its session.
 */
public final class TranscriptFiles {

    private static final String SUBAGENT_PREFIX = "agent-";
    private static final String SUFFIX = ".jsonl";

    /** What was found, and the paths that could not be used, each with the reason. */
    public record Found(List<TranscriptSession> sessions, List<String> problems) {
    }

    private TranscriptFiles() {
    }

    public static Found find(List<Path> paths) {
        Map<Path, TranscriptSession> sessions = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path given : paths) {
            Path path = given.toAbsolutePath().normalize();
            try {
                if (Files.isDirectory(path)) {
                    List<Path> mains = mainTranscripts(path);
                    if (mains.isEmpty()) {
                        problems.add(given + ": no Claude Code transcripts (*.jsonl) in this folder or its project "
                                + "folders");
                    }
                    mains.forEach(m -> sessions.putIfAbsent(m, session(m)));
                } else if (Files.isRegularFile(path)) {
                    Path main = mainOf(path);
                    if (main == null) {
                        problems.add(given + ": not a transcript file (expected <session>.jsonl)");
                    } else if (!Files.isRegularFile(main)) {
                        problems.add(given + ": subagent transcript without its session file " + main);
                    } else {
                        sessions.putIfAbsent(main, session(main));
                    }
                } else {
                    problems.add(given + ": no such file or folder");
                }
            } catch (IOException | UncheckedIOException e) {
                problems.add(given + ": cannot be read: " + e.getMessage());
            }
        }
        return new Found(List.copyOf(sessions.values()), problems);
    }

    /** The session transcripts in a project folder, or in the project folders of a projects folder. */
    private static List<Path> mainTranscripts(Path dir) throws IOException {
        List<Path> direct = jsonlIn(dir);
        if (!direct.isEmpty()) {
            return direct;
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                if (Files.isDirectory(child)) {
                    out.addAll(jsonlIn(child));
                }
            }
        }
        return out;
    }

    private static List<Path> jsonlIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f))
                    .sorted().toList();
        }
    }

    /** The session file a file belongs to: itself, or for {@code <s>/subagents/agent-x.jsonl} the {@code <s>.jsonl}. */
    private static Path mainOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
            return null;
        }
        Path dir = file.getParent();
        if (name.startsWith(SUBAGENT_PREFIX) && dir != null && dir.getFileName().toString().equals("subagents")
                && dir.getParent() != null && dir.getParent().getParent() != null) {
            Path sessionDir = dir.getParent();
            return sessionDir.getParent().resolve(sessionDir.getFileName() + SUFFIX);
        }
        return file;
    }

    private static TranscriptSession session(Path main) {
        String name = main.getFileName().toString();
        Path subDir = main.resolveSibling(name.substring(0, name.length() - SUFFIX.length())).resolve("subagents");
        Map<String, Path> subagents = new TreeMap<>();
        if (Files.isDirectory(subDir)) {
            try (Stream<Path> files = Files.list(subDir)) {
                files.filter(f -> {
                    String n = f.getFileName().toString();
                    return n.startsWith(SUBAGENT_PREFIX) && n.endsWith(SUFFIX);
                }).forEach(f -> {
                    String n = f.getFileName().toString();
                    subagents.put(n.substring(SUBAGENT_PREFIX.length(), n.length() - SUFFIX.length()), f);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new TranscriptSession(main, subagents);
    }
}
