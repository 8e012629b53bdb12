package dev.mos.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The git branch checked out in a folder, read from the repository's {@code HEAD} the way git finds it: the
 * nearest {@code .git} up from the folder, a directory or (worktrees, submodules) a file naming the git directory.
 * Read by hand rather than by running git: a hook must be quick, and git need not be installed where the agent
 * runs. A detached head is named by its abbreviated commit.
 */
final class GitBranch {

    private static final int MAX_HEAD_BYTES = 4096;
    private static final String REF_PREFIX = "ref: refs/heads/";

    private GitBranch() {
    }

    static Optional<String> of(Path folder) {
        for (Path dir = folder.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path dotGit = dir.resolve(".git");
            try {
                if (Files.isDirectory(dotGit)) {
                    return head(dotGit);
                }
                if (Files.isRegularFile(dotGit)) {
                    String link = read(dotGit);
                    if (!link.startsWith("gitdir:")) {
                        return Optional.empty();
                    }
                    return head(dir.resolve(link.substring("gitdir:".length()).strip()));
                }
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // unreadable or odd: no branch rather than a wrong one
            }
        }
        return Optional.empty();
    }

    private static Optional<String> head(Path gitDir) throws IOException {
        String head = read(gitDir.resolve("HEAD"));
        if (head.startsWith(REF_PREFIX)) {
            String branch = head.substring(REF_PREFIX.length());
            return branch.isEmpty() ? Optional.empty() : Optional.of(branch);
        }
        return head.matches("[0-9a-f]{40}([0-9a-f]{24})?") ? Optional.of(head.substring(0, 7)) : Optional.empty();
    }

    private static String read(Path file) throws IOException {
        byte[] bytes;
        try (var in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_HEAD_BYTES);
        }
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }
}
