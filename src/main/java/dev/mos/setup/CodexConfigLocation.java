package dev.mos.setup;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which Codex {@code config.toml}, found as Codex finds it: {@code $CODEX_HOME/config.toml} when CODEX_HOME is set,
 * else {@code ~/.codex/config.toml}, where {@code ~} is {@code $HOME} (Codex reads HOME, not the passwd entry
 * Java's user.home comes from) and user.home only without it.
 */
public final class CodexConfigLocation {

    private CodexConfigLocation() {
    }

    public static Path resolve(Path explicit, Map<String, String> env, String userHome) {
        if (explicit != null) {
            return explicit.toAbsolutePath();
        }
        String codexHome = env.get("CODEX_HOME");
        if (codexHome != null && !codexHome.isBlank()) {
            return Path.of(codexHome).toAbsolutePath().resolve("config.toml");
        }
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : userHome, ".codex", "config.toml").toAbsolutePath();
    }
}
