package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What happened to the session rather than in it: start and end (source, reason), model, permission mode, metric
 * points, MCP server connections. The events stay in the store and the export; the views show them in the
 * session's header instead of as operations beside the prompts.
 */
public record SessionLifecycle(Long startedMs, Long endedMs, String endReason, String source, String model,
        String permissionMode, String gitBranch, long metricPoints, List<McpServer> mcpServers) {

    /** An MCP server the agent connected to, as its last connection report said. */
    public record McpServer(String name, String status) {
    }

    /** Root points with these names are lifecycle records (hooks, OTLP log events and metrics outside a prompt). */
    private static final Set<String> RECORDS = Set.of("SessionStart", "SessionEnd", "Setup", "OTel metrics",
            "mcp_server_connection", "hook_registered", "plugin_loaded", "managed_settings_resolved",
            "permission_mode_changed");

    public SessionLifecycle {
        mcpServers = List.copyOf(mcpServers);
    }

    /** Whether a root of the tree is a lifecycle record: a point (no start, no end) of one of the known names. */
    public static boolean isRecord(OperationNode root) {
        return root.kind() == OperationKind.TASK && root.start() == null && root.end() == null
                && root.children().isEmpty() && RECORDS.contains(root.name());
    }

    /** The roots a view shows as operations: all but the lifecycle records. */
    public static List<OperationNode> operations(ActivityTree tree) {
        List<OperationNode> roots = tree.roots();
        for (OperationNode root : roots) {
            if (isRecord(root)) {
                return roots.stream().filter(r -> !isRecord(r)).toList();
            }
        }
        return roots;
    }

    /** The operations a view counts: the tree's, less the lifecycle records (each a childless root). */
    public static int operationCount(ActivityTree tree) {
        int records = 0;
        for (OperationNode root : tree.roots()) {
            if (isRecord(root)) {
                records++;
            }
        }
        return tree.operationCount() - records;
    }

    static SessionLifecycle of(ActivityTree tree, EventJson events) {
        Long started = null;
        Long ended = null;
        String endReason = null;
        String source = null;
        String model = null;
        String permissionMode = null;
        String gitBranch = null;
        long metricPoints = 0;
        Map<String, McpServer> servers = new LinkedHashMap<>();
        for (OperationNode root : tree.roots()) {
            if (!isRecord(root)) {
                if (root.kind() == OperationKind.TASK && root.start() != null
                        && (permissionMode == null || gitBranch == null)) {
                    Map<String, Object> d = events.extra(root.start());
                    permissionMode = permissionMode != null ? permissionMode
                            : OperationFacts.text(d.get("permission_mode"));
                    gitBranch = gitBranch != null ? gitBranch : OperationFacts.text(d.get("git_branch")); // transcripts
                }
                if (model == null && root.kind() == OperationKind.LLM) {
                    model = root.name();
                }
                continue;
            }
            switch (root.name()) {
                case "SessionStart" -> {
                    Map<String, Object> d = events.extra(root.primary());
                    started = started == null ? root.startMs() : started;
                    source = source != null ? source : OperationFacts.text(d.get("source"));
                    model = OperationFacts.text(d.get("model")) != null ? OperationFacts.text(d.get("model")) : model;
                    permissionMode = permissionMode != null ? permissionMode
                            : OperationFacts.text(d.get("permission_mode"));
                    // added by mos hook, which reads the branch of the session's cwd where the agent runs
                    gitBranch = OperationFacts.text(d.get("git_branch")) != null
                            ? OperationFacts.text(d.get("git_branch")) : gitBranch;
                }
                case "SessionEnd" -> {
                    ended = root.startMs();
                    endReason = OperationFacts.text(events.extra(root.primary()).get("reason"));
                }
                case "OTel metrics" -> metricPoints += root.progress().size();
                case "mcp_server_connection" -> {
                    for (Event e : root.progress()) {
                        Map<String, Object> d = events.extra(e);
                        String name = OperationFacts.text(d.getOrDefault("server_name", d.get("mcp_server_name")));
                        if (name != null) {
                            servers.put(name, new McpServer(name, OperationFacts.text(
                                    d.getOrDefault("status", d.get("connection_status")))));
                        }
                    }
                }
                default -> { }
            }
        }
        return new SessionLifecycle(started, ended, endReason, source, model, permissionMode, gitBranch,
                metricPoints, new ArrayList<>(servers.values()));
    }

    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        EventJson.putIfPresent(out, "started_at", startedMs == null ? null : Durations.iso(startedMs));
        EventJson.putIfPresent(out, "ended_at", endedMs == null ? null : Durations.iso(endedMs));
        EventJson.putIfPresent(out, "end_reason", endReason);
        EventJson.putIfPresent(out, "source", source);
        EventJson.putIfPresent(out, "model", model);
        EventJson.putIfPresent(out, "permission_mode", permissionMode);
        EventJson.putIfPresent(out, "git_branch", gitBranch);
        out.put("metric_points", metricPoints);
        out.put("mcp_servers", mcpServers.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("status", s.status());
            return m;
        }).toList());
        return out;
    }
}
