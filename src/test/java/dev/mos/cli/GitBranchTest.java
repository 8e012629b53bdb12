package dev.mos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class GitBranchTest {

    @TempDir
    Path tmp;

    @Test
    void theBranchIsReadFromTheNearestRepositoryUpFromTheFolder() throws Exception {
        Path repo = tmp.resolve("shop");
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/fix/login\n");
        Path deep = Files.createDirectories(repo.resolve("src/main"));
        assertThat(GitBranch.of(repo)).contains("fix/login");
        assertThat(GitBranch.of(deep)).contains("fix/login");
        assertThat(GitBranch.of(tmp)).isEmpty();
    }

    @Test
    void aWorktreeFileIsFollowedAndADetachedHeadIsNamedByItsCommit() throws Exception {
        Path gitDir = Files.createDirectories(tmp.resolve("main/.git/worktrees/wt"));
        Files.writeString(gitDir.resolve("HEAD"), "0123456789abcdef0123456789abcdef01234567\n");
        Path worktree = Files.createDirectories(tmp.resolve("wt"));
        Files.writeString(worktree.resolve(".git"), "gitdir: ../main/.git/worktrees/wt\n");
        assertThat(GitBranch.of(worktree)).contains("0123456");
        Files.writeString(worktree.resolve(".git"), "nonsense");
        assertThat(GitBranch.of(worktree)).isEmpty();
    }

    @Test
    void theHookAddsTheBranchOfTheSessionsCwdAndLeavesAnythingElseAsItCame() throws Exception {
        Path repo = tmp.resolve("shop");
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        JsonMapper json = JsonMapper.builder().build();
        String cwd = json.writeValueAsString(repo.toString());
        byte[] start = ("{\"hook_event_name\":\"SessionStart\",\"session_id\":\"s\",\"cwd\":" + cwd + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(json.readTree(HookCommand.withGitBranch(start, json)).path("git_branch").asString())
                .isEqualTo("main");
        for (String kept : new String[] {"not json", "[1,2]", "{\"session_id\":\"s\"}",
                "{\"cwd\":" + cwd + ",\"git_branch\":\"own\"}", "{\"cwd\":\"/no/such/folder\"}", "{\"cwd\":\"a\\u0000b\"}"}) {
            byte[] bytes = kept.getBytes(StandardCharsets.UTF_8);
            assertThat(HookCommand.withGitBranch(bytes, json)).as(kept).isSameAs(bytes);
        }
    }
}
