package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationNode;
import dev.mos.model.OperationStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Whole-session exports: JSON (summary, tree, events), text, and a Claude-Code-like log. */
public final class SessionExport {

    private final QueryService query;
    private final EventJson events;
    private final TreeJson treeJson;
    private final TreeText treeText;

    public SessionExport(QueryService query, EventJson events) {
        this.query = query;
        this.events = events;
        this.treeJson = new TreeJson(events);
        this.treeText = new TreeText(events);
    }

    public Map<String, Object> json(SessionView view) {
        RenderOptions options = fullOptions(view);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format_version", 1);
        out.put("exported_at", Durations.iso(query.nowMs()));
        out.put("session", SessionJson.summary(view, options.nowMs()));
        out.put("tree", treeJson.allRoots(view.tree(), options));
        List<Map<String, Object>> all = new ArrayList<>();
        for (Event e : query.events(view.info().sessionId())) {
            all.add(events.event(e));
        }
        out.put("events", all);
        return out;
    }

    public String text(SessionView view) {
        RenderOptions options = fullOptions(view);
        StringBuilder out = new StringBuilder();
        header(out, view);
        out.append('\n').append(treeText.render(view.tree(), options, TextStyle.PLAIN)).append("\nEvents:\n");
        for (Event e : query.events(view.info().sessionId())) {
            out.append(EventLines.line(e, null, options.slowThresholdMs(), options.nowMs(), TextStyle.PLAIN))
                    .append('\n');
        }
        return out.toString();
    }

    /** Operations in start order, each as Claude Code prints a tool call and its result. */
    public String claudeCodeLog(SessionView view) {
        RenderOptions options = fullOptions(view);
        StringBuilder out = new StringBuilder();
        header(out, view);
        List<OperationNode> all = view.tree().flatten();
        all.sort(Comparator.comparingLong(OperationNode::startMs));
        for (OperationNode node : all) {
            out.append('\n').append("⏺ ").append(label(node));
            String description = node.primary().description();
            if (description != null) {
                out.append('(').append(description.replace('\n', ' ')).append(')');
            }
            out.append('\n');
            out.append("  ⎿  ");
            long elapsed = node.elapsedMs(options.nowMs());
            switch (node.status()) {
                case RUNNING -> out.append("Running… ").append(Durations.format(elapsed));
                case SUCCESS -> out.append("Done in ").append(Durations.format(elapsed));
                case ERROR, TIMEOUT -> {
                    out.append(node.status() == OperationStatus.TIMEOUT ? "Timed out after " : "Error after ")
                            .append(Durations.format(elapsed));
                    String error = events.errorMessage(node.end());
                    if (error != null) {
                        out.append(": ").append(error.replace('\n', ' '));
                    }
                }
            }
            if (elapsed > options.slowThresholdMs()) {
                out.append(" (slow)");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String label(OperationNode node) {
        return switch (node.kind()) {
            case TASK -> "Task: " + node.name();
            case TOOL -> node.name();
            case MCP -> "MCP " + node.name();
            case SUBAGENT -> "Agent: " + node.name();
            case LLM -> "LLM " + node.name();
        };
    }

    private static void header(StringBuilder out, SessionView view) {
        out.append("Session ").append(view.info().sessionId()).append(" (").append(view.status().wireName())
                .append(")\n");
        if (view.project() != null) {
            out.append("Project ").append(view.project()).append('\n');
        }
        out.append("Started ").append(Durations.iso(view.info().createdMs())).append(", last activity ")
                .append(Durations.iso(view.info().lastActivityMs())).append('\n');
        var m = view.metrics();
        out.append(m.tasks()).append(" tasks, ").append(m.toolCalls()).append(" tool calls (")
                .append(m.distinctTools()).append(" tools), ").append(m.mcpCalls()).append(" MCP calls, ")
                .append(m.subagents()).append(" subagents, ").append(m.errors()).append(" errors, ")
                .append(Durations.format(m.totalDurationMs())).append(" total\n");
        out.append("Usage ").append(SessionJson.usageLine(view.usage())).append('\n');
        if (view.info().droppedEvents() > 0) {
            out.append(view.info().droppedEvents()).append(" older events were dropped\n");
        }
    }

    private RenderOptions fullOptions(SessionView view) {
        return query.renderOptions(view.info(), true, null);
    }
}
