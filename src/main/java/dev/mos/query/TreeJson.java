package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import dev.mos.model.OperationStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tree as nested JSON-ready maps: id, kind, name, status, start, end, duration_ms, attributes, children. */
public final class TreeJson {

    private final EventJson events;
    private final OperationFacts facts;

    public TreeJson(EventJson events) {
        this.events = events;
        this.facts = new OperationFacts(events);
    }

    public List<Map<String, Object>> roots(ActivityTree tree, RenderOptions options) {
        return roots(tree, options, false);
    }

    /** withDetails: every node also carries its title and {@link OperationFacts} (details). */
    public List<Map<String, Object>> roots(ActivityTree tree, RenderOptions options, boolean withDetails) {
        return nodes(SessionLifecycle.operations(tree), 1, options, withDetails);
    }

    /** Every root, the session's lifecycle records too (for the export, which keeps everything). */
    public List<Map<String, Object>> allRoots(ActivityTree tree, RenderOptions options) {
        return nodes(tree.roots(), 1, options, false);
    }

    private List<Map<String, Object>> nodes(List<OperationNode> nodes, int depth, RenderOptions options,
            boolean withDetails) {
        List<Map<String, Object>> out = new ArrayList<>(nodes.size());
        for (OperationNode node : nodes) {
            if (options.includeCompleted() || TreeText.hasRunning(node)) {
                out.add(node(node, depth, options, withDetails));
            }
        }
        return out;
    }

    public Map<String, Object> node(OperationNode node, int depth, RenderOptions options) {
        return node(node, depth, options, false);
    }

    private Map<String, Object> node(OperationNode node, int depth, RenderOptions options, boolean withDetails) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", node.id());
        out.put("kind", node.kind().wireName());
        out.put("name", node.name());
        out.put("status", node.status().wireName());
        out.put("start", Durations.iso(node.startMs()));
        out.put("end", node.endMs() == null ? null : Durations.iso(node.endMs()));
        // boxed on both sides: an ended operation whose duration is unknown (only its end, without duration_ms, came)
        // has none, and unboxing it threw
        out.put("duration_ms", node.running() ? Long.valueOf(node.elapsedMs(options.nowMs())) : node.durationMs());
        out.put("slow", node.elapsedMs(options.nowMs()) > options.slowThresholdMs());
        Map<String, Object> attributes = new LinkedHashMap<>();
        Event primary = node.primary();
        if (primary.description() != null) {
            attributes.put("description", primary.description());
        }
        attributes.putAll(events.extra(node.start()));
        attributes.putAll(events.extra(node.end()));
        if (node.start() == null && node.end() == null) {
            attributes.putAll(events.extra(primary)); // a point in the timeline: its one event says it all
        }
        if (node.kind() == OperationKind.MCP && node.name().contains("__")) {
            String[] parts = node.name().split("__");
            if (parts.length >= 3) {
                attributes.putIfAbsent("mcp_server", parts[parts.length - 2]);
                attributes.putIfAbsent("mcp_tool", parts[parts.length - 1]);
            }
        }
        if (node.status() == OperationStatus.ERROR || node.status() == OperationStatus.TIMEOUT) {
            EventJson.putIfPresent(attributes, "error", events.errorMessage(node.end()));
        }
        if (node.start() == null && node.end() != null) {
            attributes.put("start_event_missing", true);
        }
        if (node.parentMissing()) {
            attributes.put("parent_missing", node.primary().parentId());
        }
        out.put("attributes", attributes);
        if (withDetails) {
            Map<String, Object> details = facts.of(node);
            out.put("title", OperationTitles.title(node, details));
            out.put("details", details);
        } else if (OperationTitles.titled(node)) {
            out.put("title", OperationTitles.title(node, facts.of(node)));
        }
        if (primary.displayInfo() != null) {
            out.put("display", EventJson.display(primary.displayInfo()));
        }
        if (!node.progress().isEmpty()) {
            List<Map<String, Object>> progress = new ArrayList<>();
            for (Event p : node.progress()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("timestamp", Durations.iso(p.timestamp()));
                EventJson.putIfPresent(item, "message", p.description() != null ? p.description() : p.name());
                progress.add(item);
            }
            out.put("progress", progress);
        }
        out.put("event_ids", eventIds(node));
        if (depth >= options.maxDepth() && !node.children().isEmpty()) {
            out.put("children", List.of());
            out.put("children_truncated", node.children().size());
        } else {
            out.put("children", nodes(node.children(), depth + 1, options, withDetails));
        }
        return out;
    }

    /**
     * The tree as little as a viewer needs to draw it: id, kind, name, status, start_ms (epoch ms), duration_ms,
     * slow, and only when present title, error, icon and children. Only the details a title or an error needs are
     * read (tools, MCP calls and subagents), which makes this several times cheaper to produce and to send than
     * {@link #roots}.
     */
    public List<Map<String, Object>> compactRoots(ActivityTree tree, RenderOptions options) {
        return compactNodes(SessionLifecycle.operations(tree), 1, options);
    }

    private List<Map<String, Object>> compactNodes(List<OperationNode> nodes, int depth, RenderOptions options) {
        List<Map<String, Object>> out = new ArrayList<>(nodes.size());
        for (OperationNode node : nodes) {
            if (options.includeCompleted() || TreeText.hasRunning(node)) {
                out.add(compactNode(node, depth, options));
            }
        }
        return out;
    }

    private Map<String, Object> compactNode(OperationNode node, int depth, RenderOptions options) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", node.id());
        out.put("kind", node.kind().wireName());
        out.put("name", node.name());
        if (OperationTitles.titled(node)) {
            out.put("title", OperationTitles.title(node, facts.of(node)));
        }
        out.put("status", node.status().wireName());
        out.put("start_ms", node.startMs());
        long elapsed = node.elapsedMs(options.nowMs());
        out.put("duration_ms", node.running() ? elapsed : node.durationMs());
        if (elapsed > options.slowThresholdMs()) {
            out.put("slow", true);
        }
        if (node.status() == OperationStatus.ERROR || node.status() == OperationStatus.TIMEOUT) {
            EventJson.putIfPresent(out, "error", events.errorMessage(node.end()));
        }
        Event primary = node.primary();
        if (primary.displayInfo() != null && primary.displayInfo().icon() != null) {
            out.put("icon", primary.displayInfo().icon());
        }
        if (!node.children().isEmpty()) {
            if (depth >= options.maxDepth()) {
                out.put("children_truncated", node.children().size());
            } else {
                out.put("children", compactNodes(node.children(), depth + 1, options));
            }
        }
        return out;
    }

    private static List<String> eventIds(OperationNode node) {
        List<String> ids = new ArrayList<>(2 + node.progress().size());
        if (node.start() != null) {
            ids.add(node.start().externalId());
        }
        node.progress().forEach(p -> ids.add(p.externalId()));
        if (node.end() != null) {
            ids.add(node.end().externalId());
        }
        return ids;
    }
}
