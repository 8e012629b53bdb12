package dev.mos.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** mos: serve | stdio | health | tail | hook | setup | prune | backup | version. */
@Command(name = "mos", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "MOS, the MCP Observability Server: see what AI coding agents do.",
        subcommands = {ServeCommand.class, StdioCommand.class, HealthCommand.class, TailCommand.class,
                HookCommand.class, ImportCommand.class, SetupCommand.class, PruneCommand.class, BackupCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("mos: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
