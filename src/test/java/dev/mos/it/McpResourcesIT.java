package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Sessions as MCP resources with subscriptions, through the real SDK client over Streamable HTTP. */
class McpResourcesIT {

    @Test
    void sessionsAreResourcesAndSubscribersAreToldWhenTheyChange() throws Exception {
        try (MosProcess mos = MosProcess.serve(Map.of())) {
            Http.call(mos.baseUrl(), "log_event", "{\"event\": {\"session_id\": \"res-1\", \"event_type\": "
                    + "\"task_started\", \"correlation_id\": \"t\", \"details\": {\"name\": \"Plan\"}}}");
            List<String> updated = new CopyOnWriteArrayList<>();
            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(mos.baseUrl())
                            .endpoint("/mcp").build())
                    .requestTimeout(Duration.ofSeconds(20))
                    .resourcesUpdateConsumer(contents -> contents.forEach(c -> updated.add(c.uri())))
                    .build();
            try {
                McpSchema.InitializeResult init = client.initialize();
                assertThat(init.capabilities().resources().subscribe()).isTrue();
                assertThat(client.listResources().resources()).extracting(McpSchema.Resource::uri)
                        .contains("mos://sessions");
                assertThat(client.listResourceTemplates().resourceTemplates())
                        .extracting(McpSchema.ResourceTemplate::uriTemplate)
                        .contains("mos://sessions/{id}", "mos://sessions/{id}/tree");

                String list = text(client.readResource(new McpSchema.ReadResourceRequest("mos://sessions")));
                assertThat(list).contains("\"session_id\":\"res-1\"");
                String one = text(client.readResource(new McpSchema.ReadResourceRequest("mos://sessions/res-1")));
                assertThat(one).contains("\"status\":\"active\"");
                String tree = text(client.readResource(new McpSchema.ReadResourceRequest(
                        "mos://sessions/res-1/tree")));
                assertThat(tree).contains("Session res-1").contains("Plan");
                assertThatThrownBy(() -> client.readResource(new McpSchema.ReadResourceRequest(
                        "mos://sessions/nope/tree"))).hasMessageContaining("session 'nope' not found");

                client.subscribeResource(new McpSchema.SubscribeRequest("mos://sessions/res-1/tree"));
                Http.call(mos.baseUrl(), "log_event", "{\"event\": {\"session_id\": \"res-1\", \"event_type\": "
                        + "\"tool_pre_call\", \"parent_id\": \"t\", \"details\": {\"name\": \"Glob\"}}}");
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (!updated.contains("mos://sessions/res-1/tree") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(updated).contains("mos://sessions/res-1/tree");
                assertThat(updated).as("only subscribed URIs are sent").doesNotContain("mos://sessions",
                        "mos://sessions/res-1");
                assertThat(text(client.readResource(new McpSchema.ReadResourceRequest("mos://sessions/res-1/tree"))))
                        .contains("Glob");
            } finally {
                client.closeGracefully();
            }
        }
    }

    private static String text(McpSchema.ReadResourceResult result) {
        return ((McpSchema.TextResourceContents) result.contents().getFirst()).text();
    }
}
