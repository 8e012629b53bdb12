package dev.mos.cli;

import dev.mos.setup.CodexConfigEdit;
import dev.mos.setup.CodexConfigFile;
import dev.mos.setup.CodexConfigLocation;
import dev.mos.setup.SettingsFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
                        + " are kept."})
final class SetupCodexCommand implements Callable<Integer> {

    @Option(names = "--url", description = ServerUrl.DESCRIPTION)
    String url;

    @Option(names = "--write", description = "Merge into config.toml (backup first) instead of printing")
    boolean write;

    @Option(names = "--remove", description = "Take MOS's entries out of config.toml again (backup first)")
    boolean remove;

    @Option(names = "--config", description = "The config.toml to edit (default: $CODEX_HOME/config.toml, else "
            + "$HOME/.codex/config.toml)")
    Path config;

    @Option(names = "--token-env", description = "Name of an environment variable holding the bearer token: "
            + "Codex sends it to MOS's MCP endpoint (bearer_token_env_var; the value is never written down)")
    String tokenEnv;

    @Override
    public Integer call() throws IOException {
        if (tokenEnv != null && !tokenEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            System.err.println("mos setup: --token-env takes the name of an environment variable, e.g. MOS_TOKEN");
            return 2;
        }
        String base = ServerUrl.resolve(url);
        Path file = CodexConfigLocation.resolve(config, System.getenv(), System.getProperty("user.home"));
        if (!write && !remove) {
            System.out.println("# Add to " + file + " (or run again with --write to merge it):");
            System.out.print(CodexConfigEdit.apply("", base, tokenEnv).text());
            System.out.println();
            System.out.println("# Optional, your choice: prompt text in the tasks' names (Codex leaves it out):");
            System.out.println("# log_user_prompt = true   (in [otel])");
            return 0;
        }
        CodexConfigFile io = new CodexConfigFile(Clock.systemUTC());
        try {
            String current = io.read(file);
            CodexConfigEdit.Result edit = remove ? CodexConfigEdit.remove(current)
                    : CodexConfigEdit.apply(current, base, tokenEnv);
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
        System.err.println(remove ? "mos setup: removed MOS's OpenTelemetry export and MCP server from " + file
                : "mos setup: wrote " + file + ": Codex's OpenTelemetry log events to " + base + "/v1/logs, MCP server"
                        + " mos at " + base + "/mcp");
        return 0;
    }
}
