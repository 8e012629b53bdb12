package dev.mos.it;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** `mos stdio` spawned by the MCP SDK's stdio client, as Claude Code spawns it. */
record McpStdio(McpSyncClient client) implements AutoCloseable {

    static McpStdio start(Map<String, String> env) {
        List<String> cmd = MosProcess.command("stdio");
        ServerParameters.Builder params = ServerParameters.builder(cmd.getFirst()).args(cmd.subList(1, cmd.size()));
        env.forEach(params::addEnvVar);
        StdioClientTransport transport = new StdioClientTransport(params.build(), new JacksonMcpJsonMapper(Http.JSON));
        transport.setStdErrorHandler(line -> { });
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return new McpStdio(client);
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
