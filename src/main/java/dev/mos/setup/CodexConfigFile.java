package dev.mos.setup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * Reads and writes a Codex {@code config.toml} as text (so that {@link CodexConfigEdit} keeps the user's comments),
 * checking with a TOML parser that what is read and what is written is valid TOML: a file that is not is left as it
 * is, and an edit that would break one is never written. Writes back up first, as for Claude Code's settings.
 */
public final class CodexConfigFile {

    private final TomlMapper toml = TomlMapper.builder().build();
    private final SettingsFile writer;

    public CodexConfigFile(Clock clock) {
        this.writer = new SettingsFile(clock);
    }

    /** The file's text; empty when there is no file yet. */
    public String read(Path file) throws IOException, SettingsFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
        check(file, text, "is not valid TOML");
        return text;
    }

    /** Writes {@code text} (after checking it) with a backup of the old file; returns the backup or null. */
    public Path write(Path file, String text) throws IOException, SettingsFileException {
        check(file, text, "would not be valid TOML after the edit");
        return writer.writeText(file, text);
    }

    private void check(Path file, String text, String problem) throws SettingsFileException {
        try {
            toml.readTree(text);
        } catch (JacksonException e) {
            throw new SettingsFileException(file, problem + " (" + e.getOriginalMessage() + ")");
        }
    }
}
