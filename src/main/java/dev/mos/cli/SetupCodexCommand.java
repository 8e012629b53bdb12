package dev.mos.cli;

import dev.mos.setup.CodexConfigEdit;
import dev.mos.setup.CodexConfigFile;
import dev.mos.setup.CodexConfigLocation;
import dev.mos.setup.SettingsFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * mos setup codex: prints (or, with --write, merges into Codex's {@code config.toml}) Codex's OpenTelemetry log
 * export to this server and MOS as an MCP server; --remove takes both out again. Which file and how it is edited:
 * {@link CodexConfigLocation}, {@link CodexConfigEdit}.
 */
@Command(name = "codex", mixinStandardHelpOptions = true,
        description = {"Print, or merge with --write, the OpenAI Codex CLI settings that send its OpenTelemetry "
                + "log events to MOS and add MOS's MCP tools; --remove takes them out again.",
                "The file is Codex's config.toml: $CODEX_HOME/config.toml, else $HOME/.codex/config.toml. Earlier MOS "
                        + "entries (any server URL) are replaced, never added beside; your own settings and comments"
                        + " are kept.",
                "--token-env VAR: Codex sends the token to MOS's MCP endpoint (bearer_token_env_var)."})
final class SetupCodexCommand implements Callable<Integer> {

    @Mixin
    SetupOptions options;

    @Option(names = "--config", description = "The config.toml to edit (default: $CODEX_HOME/config.toml, else "
            + "$HOME/.codex/config.toml)")
    Path config;

    @Override
    public Integer call() throws IOException {
        if (!options.tokenEnvValid()) {
            return 2;
        }
        String base = options.base();
        String tokenEnv = options.tokenEnv;
        boolean remove = options.remove;
        Path file = CodexConfigLocation.resolve(config, System.getenv(), System.getProperty("user.home"));
        if (options.printOnly()) {
            System.out.println("# Add to " + file + " (or run again with --write to merge it):");
            System.out.print(CodexConfigEdit.apply("", base, tokenEnv, notify(base, tokenEnv)).text());
            System.out.println();
            System.out.println("# Optional, your choice: prompt text in the tasks' names (Codex leaves it out):");
            System.out.println("# log_user_prompt = true   (in [otel])");
            return 0;
        }
        CodexConfigFile io = new CodexConfigFile(Clock.systemUTC());
        try {
            String current = io.read(file);
            CodexConfigEdit.Result edit = remove ? CodexConfigEdit.remove(current)
                    : CodexConfigEdit.apply(current, base, tokenEnv, notify(base, tokenEnv));
            edit.notes().forEach(note -> System.err.println("mos setup: " + note));
            if (edit.text().equals(current)) {
                System.err.println("mos setup: " + file + (remove ? " has no MOS entries" : " already up to date")
                        + "; nothing changed");
                return 0;
            }
            Path backup = io.write(file, edit.text());
            if (backup != null) {
                System.err.println("mos setup: backed up " + file + " to " + backup);
            }
        } catch (SettingsFileException e) {
            System.err.println("mos setup: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("mos setup: " + new SettingsFileException(file, e.getMessage()).getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("mos setup: cannot update " + file + ": " + e);
            return 1;
        }
        System.err.println(remove ? "mos setup: removed MOS's OpenTelemetry export, notify and MCP server from " + file
                : "mos setup: wrote " + file + ": Codex's OpenTelemetry log events to " + base + "/v1/logs, turn "
                        + "ends by notify to " + base + "/hooks, MCP server mos at " + base + "/mcp");
        return 0;
    }

    /**
     * Codex's notify: {@code mos hook} posting the turn-complete JSON Codex appends to {@code base}'s /hooks, with the
     * token from {@code tokenEnv} when one is named (Codex passes its environment on).
     */
    private static List<String> notify(String base, String tokenEnv) {
        List<String> argv = new ArrayList<>(HookLauncher.argv());
        argv.addAll(List.of("hook", "--url", base));
        if (tokenEnv != null) {
            argv.addAll(List.of("--token-env", tokenEnv));
        }
        return argv;
    }
}
