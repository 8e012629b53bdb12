package dev.mos.cli;

import dev.mos.setup.ClaudeSettingsLocation;
import dev.mos.setup.ClaudeSettingsLocation.Scope;
import dev.mos.setup.MosEntries;
import dev.mos.setup.OwnEntries;
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
 * mos setup claude-code: prints (or, with --write, merges into a Claude Code settings file) the hooks that send
 * every supported Claude Code hook event to this server, with --otlp also the OpenTelemetry variables, plus the
 * {@code claude mcp add} line; --remove takes all of it out again. Which file, what is MOS's and how it is merged:
 * {@link ClaudeSettingsLocation}, {@link OwnEntries}, {@link SettingsEdit}.
 */
@Command(name = "claude-code", mixinStandardHelpOptions = true,
        description = {"Print, or merge with --write, the Claude Code settings that send hooks (and with --otlp "
                + "OpenTelemetry) to MOS; --remove takes them out again.",
                "The file is Claude Code's user settings: $CLAUDE_CONFIG_DIR/settings.json, else "
                        + "$HOME/.claude/settings.json. Earlier MOS entries (any server URL) are replaced, never "
                        + "added beside; your own hooks and settings are kept.",
                "--token-env VAR: the hooks send 'Authorization: Bearer $VAR' (allowedEnvVars), with --otlp an "
                        + "otelHeadersHelper prints the same header for the OpenTelemetry export."})
final class SetupClaudeCodeCommand implements Callable<Integer> {

    @Mixin
    SetupOptions options;

    @Option(names = "--otlp", description = "Also set Claude Code's OpenTelemetry export to MOS (model calls, "
            + "tokens, cost) in the settings' env block")
    boolean otlp;

    @ArgGroup(exclusive = true)
    Target target;

    @Option(names = "--hook-command", description = "Command that runs `mos hook` (default: this java and jar)")
    String hookCommand;

    /** Which settings file: Claude Code's user settings unless one of these says otherwise. */
    static final class Target {
        @Option(names = "--settings", description = "Settings file to edit (default: Claude Code's user settings,"
                + " $CLAUDE_CONFIG_DIR/settings.json or $HOME/.claude/settings.json)")
        Path settings;

        @Option(names = "--project", description = "The project's shared .claude/settings.json (current directory)")
        boolean project;

        @Option(names = "--local", description = "The project's personal .claude/settings.local.json (current "
                + "directory)")
        boolean local;
    }

    @Override
    public Integer call() throws IOException {
        if (!options.tokenEnvValid()) {
            return 2;
        }
        if (otlp && !options.remove && scope() != Scope.USER) {
            // seen with Claude Code 2.1.332: OTEL_* in project or local settings are ignored, so that a repository
            // cannot send its users' telemetry elsewhere; writing them there would look set up and send nothing
            System.err.println("mos setup: Claude Code ignores OpenTelemetry variables in project and local settings;"
                    + " use --otlp with the user settings (mos setup claude-code --write --otlp, hooks there too), or"
                    + " export the variables printed without --write");
            return 2;
        }
        String base = options.base();
        boolean remove = options.remove;
        Path file = ClaudeSettingsLocation.resolve(target == null ? null : target.settings, scope(), System.getenv(),
                System.getProperty("user.home"), Path.of(""));
        if (options.printOnly()) {
            print(base, file);
            return 0;
        }
        SettingsFile io = new SettingsFile(Clock.systemUTC());
        boolean withOtlp;
        try {
            Map<String, Object> current = io.read(file);
            withOtlp = !remove && keepsOtlp(current);
            SettingsEdit.Result edit = remove ? SettingsEdit.remove(current, base)
                    : SettingsEdit.apply(current, entries(base, withOtlp));
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
            System.err.println("mos setup: " + (e instanceof SettingsFileException ? e.getMessage()
                    : new SettingsFileException(file, e.getMessage()).getMessage()));
            return 1;
        } catch (IOException e) {
            System.err.println("mos setup: cannot update " + file + ": " + e);
            return 1;
        }
        report(base, file, withOtlp);
        return 0;
    }

    private Scope scope() {
        if (target != null && target.local) {
            return Scope.LOCAL;
        }
        return target != null && target.project ? Scope.PROJECT : Scope.USER;
    }

    private MosEntries entries(String base, boolean withOtlp) {
        return MosEntries.of(base, hookCommand != null ? hookCommand : HookLauncher.shellCommand(), options.tokenEnv,
                withOtlp);
    }

    /**
     * OpenTelemetry stays on when an earlier --otlp run put it in: a re-run for another URL must move the export
     * along with the hooks, not leave it sending to the old (dead) port.
     */
    private boolean keepsOtlp(Map<String, Object> current) {
        if (otlp) {
            return true;
        }
        boolean earlier = current.get("env") instanceof Map<?, ?> env
                && env.get(MosEntries.OTLP_ENDPOINT) instanceof String endpoint
                && OwnEntries.serverBases(current).contains(endpoint.replaceAll("/+$", ""));
        if (earlier) {
            System.err.println("mos setup: keeping the OpenTelemetry export an earlier --otlp run set up");
        }
        return earlier;
    }

    private void report(String base, Path file, boolean withOtlp) {
        if (options.remove) {
            System.err.println("mos setup: removed MOS's hooks and OpenTelemetry settings from " + file);
            return;
        }
        System.err.println("mos setup: wrote " + file + ": Claude Code hooks to " + base + "/hooks"
                + (withOtlp ? ", OpenTelemetry to " + base : ""));
        if (withOtlp && options.tokenEnv != null) {
            System.err.println("mos setup: export " + options.tokenEnv + " where Claude Code runs: the hooks and the "
                    + "OpenTelemetry headers helper read the token from it");
        }
        if (scope() == Scope.PROJECT && hookCommand == null) {
            System.err.println("mos setup: the SessionStart hook runs " + HookLauncher.shellCommand()
                    + ", a path on this machine; for a settings file others share, consider --hook-command mos (or"
                    + " --local)");
        }
        System.err.println("mos setup: for the MCP tools run: " + mcpAddLine(base));
    }

    /** The printed mode: exactly what --write would merge, then what else to run. Only this goes to stdout. */
    private void print(String base, Path file) {
        MosEntries entries = entries(base, otlp);
        System.out.println("# Add to " + file + " (or run again with --write to merge it):");
        System.out.print(new SettingsFile(Clock.systemUTC()).render(entries.asSettings()));
        System.out.println();
        System.out.println("# MCP tools (get_activity_tree and friends):");
        System.out.println(mcpAddLine(base));
        if (!otlp) {
            System.out.println();
            System.out.println("# Optional: Claude Code's OpenTelemetry (model calls, tokens, cost) to the same server."
                    + " Run with --otlp to put it in the settings' env block, or export:");
            MosEntries.otelVariables(base).forEach((k, v) -> System.out.println("export " + k + "=" + v));
            if (options.tokenEnv != null) {
                System.out.println("export OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer $" + options.tokenEnv
                        + "\"");
            }
        }
    }

    static String mcpAddLine(String base) {
        return "claude mcp add --transport http mos " + base + "/mcp";
    }
}
