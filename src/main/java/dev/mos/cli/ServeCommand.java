package dev.mos.cli;

import dev.mos.audit.Actor;
import dev.mos.config.ConfigException;
import dev.mos.http.RequestActor;
import io.modelcontextprotocol.common.McpTransportContext;
import dev.mos.auth.Tokens;
import dev.mos.config.LoadedConfig;
import dev.mos.config.MosConfig;
import dev.mos.http.HttpServer;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP server: MCP Streamable HTTP at /mcp, /health, /health/live, /health/ready, "
                + "/metrics.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger startup = LoggerFactory.getLogger("mos.startup");

    @Mixin
    ConfigOptions options;

    @Option(names = "--host", description = "Address to bind (default 127.0.0.1; env MCP_HOST)")
    String host;

    @Option(names = "--port", description = "Port (default 3000; 0 picks a free one; env MCP_PORT)")
    Integer port;

    @Option(names = "--allow-unauthenticated-remote",
            description = "Accept binding a non-loopback address without an auth token (not recommended)")
    boolean allowRemote;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        if (host != null) {
            flags.put("server.host", host);
        }
        if (port != null) {
            flags.put("server.port", port.toString());
        }
        if (allowRemote) {
            flags.put("server.allowRemoteWithoutAuth", "true");
        }
        LoadedConfig loaded = options.load(flags);
        if (loaded == null) {
            return 1;
        }
        MosConfig config = loaded.config();
        String refusal = remoteRefusal(config.server());
        if (refusal != null) {
            System.err.println("mos: " + refusal);
            return 1;
        }

        Tokens tokens;
        try {
            String tokensFile = config.server().tokensFile();
            tokens = new Tokens(config.server().authTokens(), tokensFile == null ? null : Path.of(tokensFile),
                    Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            System.err.println("mos: " + e.getMessage());
            return 1;
        }

        ServerAssembly assembly;
        try {
            assembly = new ServerAssembly(config, Clock.systemUTC(), "http", false);
        } catch (ConfigException e) { // the price file: named with what is wrong
            System.err.println("mos: " + e.getMessage());
            return 1;
        }
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider
                .builder()
                .jsonMapper(assembly.mcpJson)
                .mcpEndpoint("/mcp")
                .keepAliveInterval(Duration.ofSeconds(30))
                .securityValidator(HttpServer.securityValidator(config.server()))
                // the audit log names who called an administrative tool: the request's token and address
                .contextExtractor(request -> McpTransportContext.create(
                        Map.of(Actor.class.getName(), RequestActor.of(request))))
                .build();
        McpAsyncServer mcp = assembly.mcpServers.streamable(transport);
        assembly.notifyResourceChanges(mcp);
        HttpServer http;
        try {
            http = new HttpServer(config.server(), transport, assembly.invoker, assembly.health, assembly.lifecycle,
                    assembly.metrics, assembly.json, assembly::api, assembly.hooks, assembly.otlp, tokens,
                    config.limits());
        } catch (IllegalArgumentException e) { // the TLS files: named with what is wrong
            System.err.println("mos: " + e.getMessage());
            mcp.close();
            assembly.close();
            return 1;
        }
        try {
            http.start();
        } catch (Exception e) {
            System.err.println("mos: cannot listen on " + config.server().host() + ":" + config.server().port()
                    + ": " + rootMessage(e));
            mcp.close();
            assembly.close();
            return 1;
        }
        Signals.exitZeroOnTermination();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            startup.info("shutting down: draining requests (up to {} ms)", config.server().shutdownTimeoutMs());
            assembly.lifecycle.draining();
            assembly.live.close();
            try {
                mcp.closeGracefully().block(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                startup.debug("closing MCP sessions: {}", e.toString());
            }
            try {
                http.stop();
            } catch (Exception e) {
                startup.warn("HTTP stop: {}", e.toString());
            }
            assembly.close();
            assembly.lifecycle.stopped();
            startup.info("stopped");
            stopped.countDown();
        }, "mos-shutdown"));
        assembly.startHousekeeping();
        assembly.startMetricsSampling();
        assembly.lifecycle.serving();
        startup.info("MOS listening on {}://{}:{} (MCP at /mcp, health at /health, metrics at /metrics); "
                + "config: {}; auth: {}", http.scheme(), config.server().host(), http.port(), loaded.source(),
                config.server().authRequired() ? "bearer token required" : "none");
        // Tests and scripts read the bound port from this line.
        System.err.println("MOS_PORT=" + http.port());

        stopped.await();
        return 0;
    }

    static String remoteRefusal(MosConfig.Server server) {
        if (server.authRequired() || server.allowRemoteWithoutAuth()) {
            return null;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(server.host())) {
                if (!address.isLoopbackAddress()) {
                    return "refusing to listen on " + server.host() + " without an auth token: anyone who can "
                            + "reach it could read your agents' activity. Set MCP_AUTH_TOKEN=<secret> (or "
                            + "server.authTokens in the config file), or pass --allow-unauthenticated-remote to "
                            + "accept the risk.";
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return "cannot resolve server.host '" + server.host() + "'";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
