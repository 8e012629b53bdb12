package dev.mos.cli;

import dev.mos.setup.GeminiSettingsEdit;
import dev.mos.setup.GeminiSettingsLocation;
import dev.mos.setup.SettingsEdit;
import dev.mos.setup.SettingsFile;
import dev.mos.setup.SettingsFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * mos setup gemini: prints (or, with --write, merges into a Gemini CLI settings file) MOS as an MCP server and
 * Gemini CLI's OpenTelemetry export (OTLP over HTTP) to this server; --remove takes both out again. Which file:
 * {@link GeminiSettingsLocation}; what is MOS's and how it is merged: {@link GeminiSettingsEdit}.
 */
@Command(name = "gemini", mixinStandardHelpOptions = true,
        description = {"Print, or merge with --write, the Gemini CLI settings that send its OpenTelemetry logs, "
                + "metrics and traces to MOS and add MOS's MCP tools; --remove takes them out again.",
                "The file is Gemini CLI's user settings: $GEMINI_CLI_HOME/.gemini/settings.json, else "
                        + "$HOME/.gemini/settings.json. An earlier MOS entry (any server URL) is replaced; your own "
                        + "settings are kept.",
                "--token-env VAR: the MCP entry sends 'Authorization: Bearer $${VAR}' (Gemini CLI expands it); the "
                        + "OpenTelemetry export takes its headers from the environment only (setup says what to "
                        + "export)."})
final class SetupGeminiCommand implements Callable<Integer> {

    @Mixin
    SetupOptions options;

    @ArgGroup(exclusive = true)
    Target target;

    /** Which settings file: Gemini CLI's user settings unless one of these says otherwise. */
    static final class Target {
        @Option(names = "--settings", description = "Settings file to edit (default: Gemini CLI's user settings)")
        Path settings;

        @Option(names = "--project", description = "The project's .gemini/settings.json (current directory)")
        boolean project;
    }

    @Override
    public Integer call() throws IOException {
        if (!options.tokenEnvValid()) {
            return 2;
        }
        String base = options.base();
        String tokenEnv = options.tokenEnv;
        boolean remove = options.remove;
        Path file = GeminiSettingsLocation.resolve(target == null ? null : target.settings,
                target != null && target.project, System.getenv(), System.getProperty("user.home"), Path.of(""));
        SettingsFile io = new SettingsFile(Clock.systemUTC());
        if (options.printOnly()) {
            System.out.println("# Merge into " + file + " (or run again with --write):");
            System.out.print(io.render(GeminiSettingsEdit.fragment(base, tokenEnv)));
            tokenNote();
            return 0;
        }
        try {
            Map<String, Object> current = io.read(file);
            SettingsEdit.Result edit = remove ? GeminiSettingsEdit.remove(current, base)
                    : GeminiSettingsEdit.apply(current, base, tokenEnv);
            edit.notes().forEach(note -> System.err.println("mos setup: " + note));
            if (edit.settings().equals(current)) {
                System.err.println("mos setup: " + file + (remove ? " has no MOS entries" : " already up to date")
                        + "; nothing changed");
                return 0;
            }
            Path backup = io.write(file, edit.settings());
            if (backup != null) {
                System.err.println("mos setup: backed up " + file + " to " + backup);
            }
        } catch (SettingsFileException | IllegalArgumentException e) {
            // Gemini CLI also accepts comments in settings.json; this merge needs plain JSON
            System.err.println("mos setup: " + (e instanceof SettingsFileException ? e.getMessage()
                    : new SettingsFileException(file, e.getMessage()).getMessage()));
            return 1;
        } catch (IOException e) {
            System.err.println("mos setup: cannot update " + file + ": " + e);
            return 1;
        }
        System.err.println(remove ? "mos setup: removed MOS's MCP server and telemetry settings from " + file
                : "mos setup: wrote " + file + ": telemetry (OTLP/HTTP) to " + base + ", MCP server mos at " + base
                        + "/mcp");
        if (!remove) {
            tokenNote();
        }
        return 0;
    }

    /** The OTLP exporter takes no headers from settings.json: the token has to come from the environment. */
    private void tokenNote() {
        String tokenEnv = options.tokenEnv;
        if (tokenEnv != null) {
            System.err.println("mos setup: where Gemini CLI runs, export " + tokenEnv + " and "
                    + "OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer $" + tokenEnv + "\" (telemetry reads its "
                    + "headers from the environment only)");
        }
    }
}
