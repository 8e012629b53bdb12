package dev.mos.cli;

import picocli.CommandLine.Option;

/**
 * The options every {@code mos setup AGENT} has (a picocli mixin): where the server is, {@code --write} or
 * {@code --remove} instead of printing, and the name of the variable holding the bearer token. How each agent sends
 * that token is in its command's description.
 */
final class SetupOptions {

    @Option(names = "--url", description = ServerUrl.DESCRIPTION)
    String url;

    @Option(names = "--write", description = "Merge into the agent's file (named above; backup first) instead of "
            + "printing")
    boolean write;

    @Option(names = "--remove", description = "Take MOS's entries out of the agent's file again (backup first)")
    boolean remove;

    @Option(names = "--token-env", paramLabel = "VAR", description = "Name of an environment variable holding the "
            + "bearer token: the agent's settings name the variable, never its value (how the agent sends it: above)")
    String tokenEnv;

    /** The server's base URL: --url, else $MOS_URL, else the default ({@link ServerUrl}). */
    String base() {
        return ServerUrl.resolve(url);
    }

    /** Neither --write nor --remove: print what --write would merge. */
    boolean printOnly() {
        return !write && !remove;
    }

    /** False, having said why on stderr, when --token-env is not the name of an environment variable. */
    boolean tokenEnvValid() {
        if (tokenEnv != null && !tokenEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            System.err.println("mos setup: --token-env takes the name of an environment variable, e.g. MOS_TOKEN");
            return false;
        }
        return true;
    }
}
