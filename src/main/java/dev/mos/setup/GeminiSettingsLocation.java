package dev.mos.setup;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which settings.json Gemini CLI reads, found the way Gemini CLI 0.61.0 finds it: its user settings are
 * {@code <home>/.gemini/settings.json}, where home is {@code $GEMINI_CLI_HOME} when set, else Node's
 * {@code os.homedir()}, which follows {@code $HOME} (Java's {@code user.home} is only the fallback for an unset HOME);
 * a project's (workspace) settings are {@code ./.gemini/settings.json}. The environment is passed in, so that this can
 * be tested without touching the real one.
 */
public final class GeminiSettingsLocation {

    private GeminiSettingsLocation() {
    }

    /** {@code explicit} when given (--settings), else the project's file when {@code project}, else the user's. */
    public static Path resolve(Path explicit, boolean project, Map<String, String> env, String userHome, Path cwd) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        Path file = project ? cwd.resolve(".gemini").resolve("settings.json")
                : home(env, userHome).resolve(".gemini").resolve("settings.json");
        return cwd.resolve(file).toAbsolutePath().normalize();
    }

    private static Path home(Map<String, String> env, String userHome) {
        for (String key : new String[] {"GEMINI_CLI_HOME", "HOME"}) {
            String value = env.get(key);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        return Path.of(userHome);
    }
}
