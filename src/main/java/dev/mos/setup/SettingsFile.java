package dev.mos.setup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes a Claude Code settings file. Reading keeps key order and exact numbers; writing backs the old
 * file up first ({@code <name>.bak-<epoch ms>}, the newest {@value #BACKUPS_KEPT} kept, so repeated runs do not pile
 * them up), writes a temp file beside it and moves that into place atomically (Claude Code never reads half a
 * file), keeps the old file's permissions, and writes through a symlink to its target (dotfile managers link
 * settings.json). The layout is Claude Code's own (two-space indent, {@code "key": value}), so a diff shows only
 * what changed.
 */
public final class SettingsFile {

    /** How many of MOS's backups of one settings file are kept. */
    public static final int BACKUPS_KEPT = 5;

    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final ObjectWriter writer = json.writer().with(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    private final Clock clock;

    public SettingsFile(Clock clock) {
        this.clock = clock;
    }

    /** The settings in {@code file}; empty when it does not exist (or holds nothing but blanks). */
    public Map<String, Object> read(Path file) throws IOException, SettingsFileException {
        if (!Files.exists(file)) {
            return new LinkedHashMap<>();
        }
        if (!Files.isRegularFile(file)) {
            throw new SettingsFileException(file, "not a regular file");
        }
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** {@code text}, the content of {@code file}, as settings (named in the error when it is none). */
    public Map<String, Object> parse(Path file, String text) throws SettingsFileException {
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        Object parsed;
        try {
            parsed = json.readValue(text, Object.class);
        } catch (JacksonException e) {
            throw new SettingsFileException(file, "not valid JSON (" + e.getOriginalMessage() + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new SettingsFileException(file, "not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) map;
        return settings;
    }

    /** {@code settings} as the file's text. */
    public String render(Map<String, Object> settings) {
        return writer.writeValueAsString(settings) + "\n";
    }

    /** Replaces {@code file} with {@code settings}; returns the backup of the old file, or null when there was none. */
    public Path write(Path file, Map<String, Object> settings) throws IOException {
        return writeText(file, render(settings));
    }

    /**
     * Replaces {@code file} with {@code text} (atomically, keeping its permissions, after a backup); returns the
     * backup of the old file, or null when there was none. Also for settings files that are not JSON.
     */
    public Path writeText(Path file, String text) throws IOException {
        Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file;
        Path backup = null;
        if (Files.exists(target)) {
            backup = backUp(file);
        } else {
            Files.createDirectories(target.toAbsolutePath().getParent());
        }
        Path temp = target.resolveSibling(target.getFileName() + ".mos-tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            if (Files.exists(target)) {
                PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
                if (view != null) {
                    Files.setPosixFilePermissions(temp, view.readAttributes().permissions());
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return backup;
    }

    private Path backUp(Path file) throws IOException {
        List<Map.Entry<Long, Path>> existing = backups(file);
        // never below the newest: a name freed by pruning must not come back as the "oldest" backup
        long ms = existing.isEmpty() ? clock.millis() : Math.max(clock.millis(), existing.getFirst().getKey() + 1);
        while (true) {
            Path backup = file.resolveSibling(file.getFileName() + ".bak-" + ms);
            try {
                Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
                break;
            } catch (FileAlreadyExistsException e) {
                ms++; // another run at the same moment: the next free name
            }
        }
        List<Map.Entry<Long, Path>> all = backups(file);
        for (Map.Entry<Long, Path> old : all.subList(Math.min(BACKUPS_KEPT, all.size()), all.size())) {
            Files.deleteIfExists(old.getValue());
        }
        return file.resolveSibling(file.getFileName() + ".bak-" + ms);
    }

    /** MOS's backups of {@code file} ({@code <name>.bak-<epoch ms>}), newest first. */
    private static List<Map.Entry<Long, Path>> backups(Path file) throws IOException {
        Pattern ours = Pattern.compile(Pattern.quote(file.getFileName() + ".bak-") + "(\\d{1,18})");
        try (var siblings = Files.list(file.toAbsolutePath().getParent())) {
            return siblings.map(p -> Map.entry(ours.matcher(p.getFileName().toString()), p))
                    .filter(e -> e.getKey().matches())
                    .map(e -> Map.entry(Long.parseLong(e.getKey().group(1)), e.getValue()))
                    .sorted(Map.Entry.<Long, Path>comparingByKey(Comparator.reverseOrder()))
                    .toList();
        }
    }
}
