package dev.mos.setup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.setup.ClaudeSettingsLocation.Scope;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaudeSettingsLocationTest {

    private static final Path CWD = Path.of("/work/project");
    private static final String USER_HOME = "/home/passwd-user";

    @Test
    void homeFromTheEnvironmentWinsOverJavasUserHome() {
        // sudo -E, containers, CI: HOME differs from the passwd entry user.home comes from
        assertThat(ClaudeSettingsLocation.resolve(null, Scope.USER, Map.of("HOME", "/tmp/ci-home"), USER_HOME, CWD))
                .isEqualTo(Path.of("/tmp/ci-home/.claude/settings.json"));
    }

    @Test
    void claudeConfigDirWinsOverHome() {
        assertThat(ClaudeSettingsLocation.resolve(null, Scope.USER,
                Map.of("HOME", "/tmp/ci-home", "CLAUDE_CONFIG_DIR", "/etc/claude-cfg"), USER_HOME, CWD))
                .isEqualTo(Path.of("/etc/claude-cfg/settings.json"));
    }

    @Test
    void aRelativeClaudeConfigDirIsTheProjectDirectorysAndABlankOneCountsAsUnset() {
        assertThat(ClaudeSettingsLocation.resolve(null, Scope.USER, Map.of("CLAUDE_CONFIG_DIR", "cfg"), USER_HOME,
                CWD)).isEqualTo(Path.of("/work/project/cfg/settings.json"));
        assertThat(ClaudeSettingsLocation.resolve(null, Scope.USER,
                Map.of("CLAUDE_CONFIG_DIR", " ", "HOME", "/h"), USER_HOME, CWD))
                .isEqualTo(Path.of("/h/.claude/settings.json"));
    }

    @Test
    void userHomeOnlyWhenHomeIsUnsetOrBlank() {
        assertThat(ClaudeSettingsLocation.resolve(null, Scope.USER, Map.of(), USER_HOME, CWD))
                .isEqualTo(Path.of("/home/passwd-user/.claude/settings.json"));
        assertThat(ClaudeSettingsLocation.resolve(null, Scope.USER, Map.of("HOME", ""), USER_HOME, CWD))
                .isEqualTo(Path.of("/home/passwd-user/.claude/settings.json"));
    }

    @Test
    void projectAndLocalAreTheCurrentDirectorysFilesWhateverTheEnvironment() {
        Map<String, String> env = Map.of("HOME", "/h", "CLAUDE_CONFIG_DIR", "/c");
        assertThat(ClaudeSettingsLocation.resolve(null, Scope.PROJECT, env, USER_HOME, CWD))
                .isEqualTo(Path.of("/work/project/.claude/settings.json"));
        assertThat(ClaudeSettingsLocation.resolve(null, Scope.LOCAL, env, USER_HOME, CWD))
                .isEqualTo(Path.of("/work/project/.claude/settings.local.json"));
    }

    @Test
    void anExplicitFileOverridesEverything() {
        assertThat(ClaudeSettingsLocation.resolve(Path.of("/x/my.json"), Scope.USER,
                Map.of("HOME", "/h", "CLAUDE_CONFIG_DIR", "/c"), USER_HOME, CWD)).isEqualTo(Path.of("/x/my.json"));
    }
}
