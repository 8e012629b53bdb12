package dev.mos.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version and exit.")
final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println(new Version().getVersion()[0]);
        return 0;
    }
}
