package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One operation with everything captured about it (the details panel, {@code GET
 * /api/v1/sessions/{id}/operations/{operation_id}}): its place in the tree, timing, title, {@link OperationFacts}
 * and the raw events behind it, by id and sequence.
 */
public final class OperationDetails {

    private final OperationFacts facts;
    private final EventJson events;

    public OperationDetails(EventJson events) {
        this.facts = new OperationFacts(events);
        this.events = events;
    }

    /** The operation {@code operationId} of the tree, empty when the tree has none by that id. */
    public Optional<Map<String, Object>> find(ActivityTree tree, String operationId, RenderOptions options) {
        List<Object[]> stack = new ArrayList<>(); // {node, parent or null}
        tree.roots().reversed().forEach(root -> stack.add(new Object[] {root, null}));
        while (!stack.isEmpty()) {
            Object[] top = stack.removeLast();
            OperationNode node = (OperationNode) top[0];
            if (node.id().equals(operationId)) {
                return Optional.of(json(node, (OperationNode) top[1], options));
            }
            node.children().reversed().forEach(child -> stack.add(new Object[] {child, node}));
        }
        return Optional.empty();
    }

    Map<String, Object> json(OperationNode node, OperationNode parent, RenderOptions options) {
        Map<String, Object> details = facts.of(node);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", node.id());
        out.put("kind", node.kind().wireName());
        out.put("name", node.name());
        out.put("title", OperationTitles.title(node, details));
        out.put("status", node.status().wireName());
        out.put("start", Durations.iso(node.startMs()));
        out.put("end", node.endMs() == null ? null : Durations.iso(node.endMs()));
        out.put("duration_ms", node.running() ? node.elapsedMs(options.nowMs()) : node.durationMs());
        out.put("slow", node.elapsedMs(options.nowMs()) > options.slowThresholdMs());
        out.put("parent_id", parent == null ? null : parent.id());
        if (node.parentMissing()) {
            out.put("parent_missing", node.primary().parentId());
        }
        EventJson.putIfPresent(out, "error", details.get("error"));
        out.put("children", node.children().size());
        out.put("details", details);
        List<Event> raw = new ArrayList<>(2 + node.progress().size());
        if (node.start() != null) {
            raw.add(node.start());
        }
        raw.addAll(node.progress());
        if (node.end() != null) {
            raw.add(node.end());
        }
        raw.sort(Comparator.comparingLong(Event::sequence));
        out.put("events", raw.stream().map(events::event).toList());
        return out;
    }
}
