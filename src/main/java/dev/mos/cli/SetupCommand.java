package dev.mos.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** mos setup: connects an agent (Claude Code, Codex CLI, Gemini CLI) to this server. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        subcommands = {SetupClaudeCodeCommand.class, SetupCodexCommand.class, SetupGeminiCommand.class},
        description = "Connect an agent to MOS (hooks, MCP server, telemetry).")
final class SetupCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("mos setup: name the agent, e.g. `mos setup claude-code`, `mos setup codex` or"
                + " `mos setup gemini` (see --help)");
        return 2;
    }
}
