package dev.mos.mcp;

import dev.mos.audit.Actor;
import dev.mos.mcp.resources.SessionResources;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Builds the MCP SDK server over a transport, exposing every tool through the shared {@link ToolInvoker}.
 *
 * <p>Tools run where the request arrives (the stdio reader, or the HTTP request's thread); only tools that may
 * block ({@link McpTool#mayBlock()}, the long poll) move to Reactor's boundedElastic pool. A tool whose answer
 * comes later ({@link McpTool#callAsync}, log_event waiting for its commit) hands back a future, and the answer
 * leaves when it completes, with no thread waiting for it. The SDK's sync server
 * would move every call there, and its stdio transport then spins under contention as those threads race to
 * emit their responses: measured, pipelined throughput fell below the sequential one.
 */
public final class McpServerFactory {

    static final String INSTRUCTIONS = "MOS records and shows what coding agents do. Log activity with log_event "
            + "(start and end events sharing a correlation_id become one operation). Read it with "
            + "get_activity_tree, search_operations, stream_activity, export_session, list_sessions and "
            + "get_tool_analytics; "
            + "session_id \"latest\" means the most recently active session.";

    private final ToolInvoker invoker;
    private final McpJsonMapper mapper;
    private final String serverName;
    private final String serverVersion;
    private final SessionResources resources;
    private final JsonSchemaValidator outputCheck;

    public McpServerFactory(ToolInvoker invoker, SessionResources resources, McpJsonMapper mapper,
            JsonSchemaValidator outputCheck, String serverName, String serverVersion) {
        this.outputCheck = outputCheck;
        this.invoker = invoker;
        this.resources = resources;
        this.mapper = mapper;
        this.serverName = serverName;
        this.serverVersion = serverVersion;
    }

    public McpAsyncServer stdio(McpServerTransportProvider transport) {
        return build(McpServer.async(transport));
    }

    public McpAsyncServer streamable(McpStreamableServerTransportProvider transport) {
        return build(McpServer.async(transport));
    }

    private McpAsyncServer build(McpServer.AsyncSpecification<?> spec) {
        return spec.serverInfo(serverName, serverVersion)
                .instructions(INSTRUCTIONS)
                .jsonMapper(mapper)
                .jsonSchemaValidator(outputCheck)
                // Our tools validate their own arguments so that MCP and the plain HTTP form give the same
                // messages, naming the parameter and the rule.
                .validateToolInputs(false)
                .requestTimeout(Duration.ofMinutes(2))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(true, false).logging()
                        .build())
                .tools(specifications())
                .resources(resources.resources())
                .resourceTemplates(resources.templates())
                .build();
    }

    private List<AsyncToolSpecification> specifications() {
        return invoker.tools().stream().map(this::specification).toList();
    }

    private AsyncToolSpecification specification(McpTool tool) {
        McpSchema.Tool definition = McpSchema.Tool.builder()
                .name(tool.name())
                .description(tool.description())
                .inputSchema(mapper, tool.inputSchema())
                .outputSchema(mapper, tool.outputSchema())
                .annotations(new McpSchema.ToolAnnotations(tool.name(), tool.readOnly(), tool.destructive(),
                        tool.readOnly() || tool.destructive(),
                        tool.openWorld(), null))
                .build();
        return AsyncToolSpecification.builder().tool(definition).callHandler((exchange, request) -> {
            Mono<McpSchema.CallToolResult> call = Mono.defer(() -> {
                Object token = request.progressToken();
                ProgressSink progress = token == null ? ProgressSink.NONE : (value, message) ->
                        exchange.progressNotification(new McpSchema.ProgressNotification(token, value, null,
                                message)).block();
                Actor actor = exchange.transportContext().get(Actor.class.getName()) instanceof Actor a ? a
                        : Actor.LOCAL;
                return Mono.fromFuture(invoker.invokeAsync(tool.name(), request.arguments(), progress, actor));
            }).map(result -> McpSchema.CallToolResult.builder()
                    .addTextContent(result.text())
                    .structuredContent(result.structured())
                    .isError(result.isError())
                    .build());
            return tool.mayBlock() ? call.subscribeOn(Schedulers.boundedElastic()) : call;
        }).build();
    }
}
