package dev.mos.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** mos: serve | stdio | health | tail | hook | import | setup | token | prune | backup | version. */
@Command(name = "mos", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "MOS, the MCP Observability Server: see what AI coding agents do.",
        subcommands = {ServeCommand.class, StdioCommand.class, HealthCommand.class, TailCommand.class,
                HookCommand.class, ImportCommand.class, SetupCommand.class, TokenCommand.class, PruneCommand.class, BackupCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        if (args.length > 0 && args[0].equals("stdio")) {
            // Claude Code starts one stdio server per session and waits for its first answer: plain arguments are
            // read without picocli, whose model of the commands cost a fifth of that start.
            ConfigOptions plain = ConfigOptions.parsePlain(Arrays.copyOfRange(args, 1, args.length));
            if (plain != null) {
                try {
                    return new StdioCommand(plain).call();
                } catch (Exception e) {
                    System.err.println("mos: " + e.getMessage());
                    return 1;
                }
            }
        }
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
