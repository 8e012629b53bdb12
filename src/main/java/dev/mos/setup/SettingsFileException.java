package dev.mos.setup;

import java.nio.file.Path;

/** A settings file MOS will not edit (not JSON, not an object, an unexpected shape): it is left as it is. */
public final class SettingsFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public SettingsFileException(Path file, String problem) {
        super(file + ": " + problem + "; left unchanged");
    }
}
