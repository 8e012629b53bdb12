package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.OperationNode;
import dev.mos.model.OperationStatus;
import java.util.List;

/** Renders a tree as text, Claude-Code style or plain. */
public final class TreeText {

    private final EventJson events;
    private final OperationFacts facts;

    public TreeText(EventJson events) {
        this.events = events;
        this.facts = new OperationFacts(events);
    }

    public String render(ActivityTree tree, RenderOptions options, TextStyle style) {
        StringBuilder out = new StringBuilder();
        List<OperationNode> roots = SessionLifecycle.operations(tree); // the lifecycle is the header's
        if (roots.isEmpty()) {
            out.append("(no operations yet)\n");
        }
        children(out, roots, "", 1, options, style);
        if (tree.droppedEvents() > 0) {
            out.append(style == TextStyle.CLAUDE_CODE ? "⚠️ " : "! ").append(tree.droppedEvents())
                    .append(" older events were dropped (maxEventsPerSession); operations they opened show "
                            + "without a start\n");
        }
        return out.toString();
    }

    static boolean hasRunning(OperationNode node) {
        if (node.running()) {
            return true;
        }
        for (OperationNode child : node.children()) {
            if (hasRunning(child)) {
                return true;
            }
        }
        return false;
    }

    private void children(StringBuilder out, List<OperationNode> nodes, String prefix, int depth,
            RenderOptions options, TextStyle style) {
        List<OperationNode> shown = options.includeCompleted() ? nodes
                : nodes.stream().filter(TreeText::hasRunning).toList();
        int i = 0;
        while (i < shown.size()) {
            OperationNode node = shown.get(i);
            if (options.collapseFastOps() && isFast(node, options)) {
                int j = i;
                long total = 0;
                while (j < shown.size() && isFast(shown.get(j), options)) {
                    total += shown.get(j).durationMs();
                    j++;
                }
                if (j - i > 1) {
                    boolean lastLine = j == shown.size();
                    out.append(prefix).append(lastLine ? style.last : style.branch).append("… ").append(j - i)
                            .append(" fast operations");
                    if (options.showTimings()) {
                        out.append(" (").append(Durations.format(total)).append(" total)");
                    }
                    out.append('\n');
                    i = j;
                    continue;
                }
            }
            boolean last = i == shown.size() - 1;
            line(out, node, prefix + (last ? style.last : style.branch), options, style);
            String childPrefix = prefix + (last ? style.space : style.pipe);
            if (!node.children().isEmpty()) {
                if (depth >= options.maxDepth()) {
                    out.append(childPrefix).append(style.last).append("… ").append(countAll(node.children()))
                            .append(" nested operations (max depth ").append(options.maxDepth()).append(")\n");
                } else {
                    children(out, node.children(), childPrefix, depth + 1, options, style);
                }
            }
            i++;
        }
    }

    private static boolean isFast(OperationNode node, RenderOptions options) {
        return node.status() == OperationStatus.SUCCESS && node.children().isEmpty() && node.durationMs() != null
                && node.durationMs() < options.fastThresholdMs();
    }

    private static int countAll(List<OperationNode> nodes) {
        int n = nodes.size();
        for (OperationNode node : nodes) {
            n += countAll(node.children());
        }
        return n;
    }

    private void line(StringBuilder out, OperationNode node, String prefix, RenderOptions options,
            TextStyle style) {
        boolean claude = style == TextStyle.CLAUDE_CODE;
        out.append(prefix);
        if (claude) {
            String icon = node.primary().displayInfo() != null && node.primary().displayInfo().icon() != null
                    ? node.primary().displayInfo().icon() : node.kind().icon();
            out.append(icon).append(' ');
        } else {
            out.append('[').append(node.kind().wireName()).append("] ");
        }
        // the same names as the JSON trees (mos tail draws this text)
        String label = node.primary().displayInfo() != null && node.primary().displayInfo().name() != null
                ? node.primary().displayInfo().name()
                : OperationTitles.titled(node) ? OperationTitles.title(node, facts.of(node)) : node.name();
        out.append(label);
        out.append(' ').append(claude ? node.status().symbol() : "(" + node.status().wireName() + ")");
        long elapsed = node.elapsedMs(options.nowMs());
        if (options.showTimings()) {
            out.append(' ').append(Durations.format(elapsed));
            if (node.running()) {
                out.append(claude ? " running" : " so far");
            }
        }
        if (elapsed > options.slowThresholdMs()) {
            out.append(claude ? " 🐢 SLOW" : " SLOW").append(" (>").append(Durations.format(options.slowThresholdMs()))
                    .append(')');
        }
        boolean failed = node.status() == OperationStatus.ERROR || node.status() == OperationStatus.TIMEOUT;
        if (failed && options.highlightErrors()) {
            String error = events.errorMessage(node.end());
            out.append(claude ? " ← " : " <- ").append(node.status() == OperationStatus.TIMEOUT ? "TIMEOUT" : "ERROR");
            if (error != null) {
                out.append(": ").append(oneLine(error));
            }
        }
        if (!node.progress().isEmpty() && node.running()) {
            var latest = node.progress().getLast();
            String message = latest.description() != null ? latest.description() : latest.name();
            if (message != null) {
                out.append(" · ").append(oneLine(message));
            }
        }
        if (node.start() == null && node.end() != null) {
            out.append(claude ? " (start not seen)" : " (no start event)");
        }
        out.append('\n');
    }

    private static String oneLine(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
    }
}
