package dev.mos.cli;

import dev.mos.config.ConfigException;
import dev.mos.config.LoadedConfig;
import dev.mos.mcp.StdioTransport;
import io.modelcontextprotocol.server.McpAsyncServer;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stdio", mixinStandardHelpOptions = true,
        description = "Serve MCP over stdin/stdout (for: claude mcp add mos -- /path/to/mos stdio). Only MCP "
                + "messages are written to stdout; logs go to stderr. Exits when stdin closes.")
final class StdioCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    /** For picocli. */
    StdioCommand() {
    }

    /** With options already parsed (see {@link Main#run}). */
    StdioCommand(ConfigOptions options) {
        this.options = options;
    }

    @Override
    public Integer call() throws Exception {
        // Claim stdout for MCP before anything can print to it; stray prints land on stderr instead.
        // Buffered: each message and its newline leave in one write call.
        OutputStream mcpOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));

        LoadedConfig loaded = options.load(Map.of());
        if (loaded == null) {
            return 1;
        }

        ServerAssembly assembly;
        try {
            assembly = new ServerAssembly(loaded.config(), Clock.systemUTC(), "stdio", true);
        } catch (ConfigException e) { // the price file: named with what is wrong (stderr: stdout is MCP's)
            System.err.println("mos: " + e.getMessage());
            return 1;
        }
        StdioTransport transport = new StdioTransport(assembly.mcpJson, new FileInputStream(FileDescriptor.in),
                mcpOut, (int) Math.min(Integer.MAX_VALUE - 8, loaded.config().server().maxRequestBytes()),
                assembly::startOpeningStore);
        McpAsyncServer mcp = assembly.mcpServers.stdio(transport);
        assembly.notifyResourceChanges(mcp);
        assembly.startHousekeeping();
        assembly.lifecycle.serving();
        Signals.exitZeroOnTermination();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            assembly.lifecycle.draining();
            assembly.live.close();
            try {
                mcp.close();
            } catch (RuntimeException ignored) {
                // the client is gone; there is nobody left to tell
            }
            assembly.close();
        }, "mos-shutdown"));

        transport.awaitInputEndAndAnswers(loaded.config().server().shutdownTimeoutMs());
        return 0;
    }
}
