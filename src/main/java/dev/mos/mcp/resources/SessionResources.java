package dev.mos.mcp.resources;

import dev.mos.query.QueryService;
import dev.mos.query.SessionJson;
import dev.mos.query.SessionView;
import dev.mos.query.TextStyle;
import dev.mos.query.TreeJson;
import dev.mos.query.TreeText;
import dev.mos.query.UnknownSessionException;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sessions as MCP resources: mos://sessions (the list), mos://sessions/{id} (summary and metrics) and
 * mos://sessions/{id}/tree (the Claude-Code-style tree as text, the JSON tree alongside). Reads answer from
 * {@link QueryService}, like every other front end.
 */
public final class SessionResources {

    public static final String SESSIONS = "mos://sessions";
    private static final String PREFIX = SESSIONS + "/";
    private static final int LIST_LIMIT = 100;

    private final QueryService query;
    private final TreeText treeText;
    private final TreeJson treeJson;
    private final JsonMapper mapper;

    public SessionResources(QueryService query, TreeText treeText, TreeJson treeJson, JsonMapper mapper) {
        this.query = query;
        this.treeText = treeText;
        this.treeJson = treeJson;
        this.mapper = mapper;
    }

    public static String sessionUri(String sessionId) {
        return PREFIX + sessionId;
    }

    public static String treeUri(String sessionId) {
        return PREFIX + sessionId + "/tree";
    }

    public List<AsyncResourceSpecification> resources() {
        McpSchema.Resource list = McpSchema.Resource.builder().uri(SESSIONS).name("sessions")
                .title("MOS sessions").mimeType("application/json")
                .description("Sessions, most recently active first (up to " + LIST_LIMIT + "), with status and "
                        + "metrics. Subscribe to be told when any session changes.")
                .build();
        return List.of(new AsyncResourceSpecification(list, (exchange, request) -> read(request.uri())));
    }

    public List<AsyncResourceTemplateSpecification> templates() {
        McpSchema.ResourceTemplate session = McpSchema.ResourceTemplate.builder().uriTemplate(PREFIX + "{id}")
                .name("session").title("One MOS session").mimeType("application/json")
                .description("Summary, status and metrics of one session (id or \"latest\").").build();
        McpSchema.ResourceTemplate tree = McpSchema.ResourceTemplate.builder().uriTemplate(PREFIX + "{id}/tree")
                .name("session-tree").title("Activity tree of a MOS session").mimeType("text/plain")
                .description("The session's activity tree, Claude Code style; subscribe for live updates.").build();
        return List.of(new AsyncResourceTemplateSpecification(session, (exchange, request) -> read(request.uri())),
                new AsyncResourceTemplateSpecification(tree, (exchange, request) -> read(request.uri())));
    }

    /** Reads any of our URIs; an unknown one or an unknown session is a resource-not-found error naming it. */
    Mono<McpSchema.ReadResourceResult> read(String uri) {
        return Mono.fromCallable(() -> {
            try {
                return new McpSchema.ReadResourceResult(contents(uri));
            } catch (UnknownSessionException e) {
                throw McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND)
                        .message(e.getMessage() + " (resource " + uri + ")").build();
            }
        });
    }

    private List<McpSchema.ResourceContents> contents(String uri) {
        if (uri.equals(SESSIONS)) {
            List<Map<String, Object>> sessions = new ArrayList<>();
            long now = query.nowMs();
            for (SessionView view : query.list(Optional.empty(), LIST_LIMIT)) {
                sessions.add(SessionJson.summary(view, now));
            }
            return List.of(json(uri, Map.of("sessions", sessions, "total", query.sessionCount())));
        }
        if (!uri.startsWith(PREFIX)) {
            throw notFound(uri);
        }
        String rest = uri.substring(PREFIX.length());
        boolean tree = rest.endsWith("/tree");
        String id = URLDecoder.decode(tree ? rest.substring(0, rest.length() - 5) : rest, StandardCharsets.UTF_8);
        if (id.isEmpty() || id.contains("/")) {
            throw notFound(uri);
        }
        SessionView view = query.view(id);
        if (!tree) {
            return List.of(json(uri, SessionJson.summary(view, query.nowMs())));
        }
        var options = query.renderOptions(view.info(), true, null);
        String text = "Session " + view.info().sessionId() + " · " + view.status().wireName() + " · "
                + view.tree().operationCount() + " operations, " + view.tree().runningCount() + " running\n"
                + treeText.render(view.tree(), options, TextStyle.CLAUDE_CODE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", view.info().sessionId());
        body.put("last_sequence", view.tree().lastSequence());
        body.put("tree", treeJson.roots(view.tree(), options));
        return List.of(new McpSchema.TextResourceContents(uri, "text/plain", text), json(uri + "?format=json", body));
    }

    private McpSchema.TextResourceContents json(String uri, Object body) {
        return new McpSchema.TextResourceContents(uri, "application/json", mapper.writeValueAsString(body));
    }

    private static McpError notFound(String uri) {
        return McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND).message("no such resource: " + uri
                + " (try " + SESSIONS + ", " + PREFIX + "{id} or " + PREFIX + "{id}/tree)").build();
    }
}
