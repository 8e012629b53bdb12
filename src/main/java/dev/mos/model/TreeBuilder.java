package dev.mos.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the activity tree of a session from its events: a pure function that tolerates whatever clients send.
 *
 * <p>Pairing: events with the same {@code correlation_id} are one operation. Without one, a start opens an
 * operation and the next end of the same kind and name closes the oldest still open (pre/post of the same tool).
 * An end without a start is still an operation. Nesting follows {@code parent_id}, which may name a server event
 * id or a correlation id; an unknown parent leaves the operation at the root, flagged, and cycles are broken.
 */
public final class TreeBuilder {

    private static final Comparator<Span> BY_START =
            Comparator.comparingLong((Span s) -> s.startMs).thenComparingLong(s -> s.firstSequence);

    private TreeBuilder() {
    }

    public static ActivityTree build(String sessionId, List<Event> events, long droppedEvents) {
        Map<String, Span> byCorrelation = new HashMap<>();
        Map<Long, Span> byEventId = new HashMap<>(events.size() * 2);
        Map<String, ArrayDeque<Span>> openByName = new HashMap<>();
        List<Span> spans = new ArrayList<>();
        ArrayDeque<Span> openTasks = new ArrayDeque<>(); // innermost last
        long lastSequence = 0;

        for (Event event : events) {
            lastSequence = Math.max(lastSequence, event.sequence());
            EventType type = event.type();
            Span span;
            if (event.correlationId() != null) {
                span = byCorrelation.get(event.correlationId());
                if (span == null) {
                    span = new Span("c:" + event.correlationId(), event);
                    byCorrelation.put(event.correlationId(), span);
                    spans.add(span);
                }
            } else if (type.role() == EventType.Role.START) {
                span = new Span("e:" + event.id(), event);
                spans.add(span);
                openByName.computeIfAbsent(nameKey(event), k -> new ArrayDeque<>()).addLast(span);
            } else if (type.closes()) {
                ArrayDeque<Span> open = openByName.get(nameKey(event));
                span = open == null ? null : open.pollFirst();
                if (span == null) {
                    span = new Span("e:" + event.id(), event);
                    spans.add(span);
                }
            } else {
                Span parent = event.parentId() == null ? openTasks.peekLast() : null;
                span = parent != null && parent.end == null ? parent : new Span("e:" + event.id(), event);
                if (span != parent) {
                    spans.add(span);
                }
            }
            span.add(event);
            byEventId.put(event.id(), span);
            if (span.kind == OperationKind.TASK) {
                // when an inner task ends, progress goes back to the task that encloses it
                if (span.end != null) {
                    openTasks.remove(span);
                } else if (openTasks.peekLast() != span) {
                    openTasks.remove(span);
                    openTasks.addLast(span);
                }
            }
        }

        List<Span> roots = new ArrayList<>();
        for (Span span : spans) {
            span.finish();
            String parentRef = span.parentRef();
            Span parent = null;
            if (parentRef != null) {
                parent = byCorrelation.get(parentRef);
                if (parent == null) {
                    long parentEventId = Event.parseId(parentRef);
                    parent = parentEventId < 0 ? null : byEventId.get(parentEventId);
                }
                if (parent == null) {
                    span.parentMissing = true;
                }
            }
            if (parent != null && !createsCycle(span, parent)) {
                span.parent = parent;
                parent.children.add(span);
            } else {
                roots.add(span);
            }
        }

        int running = 0;
        for (Span span : spans) {
            if (span.status == OperationStatus.RUNNING) {
                running++;
            }
        }
        roots.sort(BY_START);
        List<OperationNode> rootNodes = new ArrayList<>(roots.size());
        for (Span root : roots) {
            rootNodes.add(root.freeze());
        }
        return new ActivityTree(sessionId, rootNodes, spans.size(), running, droppedEvents, lastSequence);
    }

    private static String nameKey(Event event) {
        return event.type().kind().ordinal() + ":" + (event.name() == null ? "" : event.name());
    }

    private static boolean createsCycle(Span child, Span parent) {
        for (Span p = parent; p != null; p = p.parent) {
            if (p == child) {
                return true;
            }
        }
        return false;
    }

    /** Mutable while the tree is built, frozen into an {@link OperationNode} at the end. */
    private static final class Span {
        final String key;
        final OperationKind kind;
        final long firstSequence;
        Event start;
        Event end;
        List<Event> progress = List.of();
        final List<Span> children = new ArrayList<>(0);
        Span parent;
        boolean parentMissing;
        OperationStatus status = OperationStatus.RUNNING;
        long startMs;
        Long endMs;
        Long durationMs;
        Event lastSeen;

        Span(String key, Event first) {
            this.key = key;
            this.kind = first.type().kind();
            this.firstSequence = first.sequence();
        }

        void add(Event event) {
            lastSeen = event;
            switch (event.type().role()) {
                case START -> {
                    if (start == null) {
                        start = event;
                    } else {
                        // a second report of the same start (a hook's PreToolUse and OTLP's tool_decision)
                        // enriches the operation, like a second end
                        addProgress(event);
                    }
                }
                case END, FAIL -> {
                    if (end == null) {
                        end = event;
                    } else {
                        // a second report of the same end (a hook and OTLP both saw the tool finish) enriches the
                        // operation instead of replacing how it ended
                        addProgress(event);
                    }
                }
                case PROGRESS -> addProgress(event);
            }
        }

        private void addProgress(Event event) {
            if (progress.isEmpty()) {
                progress = new ArrayList<>(2);
            }
            progress.add(event);
        }

        String parentRef() {
            if (start != null && start.parentId() != null) {
                return start.parentId();
            }
            if (end != null && end.parentId() != null) {
                return end.parentId();
            }
            return progress.isEmpty() ? null : progress.getFirst().parentId();
        }

        void finish() {
            Event first = start != null ? start : !progress.isEmpty() ? progress.getFirst() : end;
            if (end != null) {
                status = endStatus(end);
                endMs = end.timestamp();
                if (start != null) {
                    startMs = start.timestamp();
                    durationMs = end.durationMs() != null ? end.durationMs() : Math.max(0, endMs - startMs);
                } else {
                    durationMs = end.durationMs();
                    startMs = durationMs == null ? endMs : endMs - durationMs;
                }
            } else {
                startMs = first.timestamp();
                Event reported = start != null ? start : first;
                status = switch (reported.status()) {
                    case SUCCESS -> OperationStatus.SUCCESS;
                    case ERROR -> OperationStatus.ERROR;
                    case TIMEOUT -> OperationStatus.TIMEOUT;
                    case STARTED, RUNNING -> OperationStatus.RUNNING;
                };
                if (status != OperationStatus.RUNNING) {
                    durationMs = reported.durationMs() == null ? 0L : reported.durationMs();
                    endMs = startMs + durationMs;
                }
            }
        }

        private static OperationStatus endStatus(Event end) {
            if (end.status() == EventStatus.TIMEOUT) {
                return OperationStatus.TIMEOUT;
            }
            if (end.type().role() == EventType.Role.FAIL || end.status() == EventStatus.ERROR) {
                return OperationStatus.ERROR;
            }
            return OperationStatus.SUCCESS;
        }

        OperationNode freeze() {
            List<OperationNode> frozen;
            if (children.isEmpty()) {
                frozen = List.of();
            } else {
                children.sort(BY_START);
                frozen = new ArrayList<>(children.size());
                for (Span child : children) {
                    frozen.add(child.freeze());
                }
            }
            Event named = start != null ? start : end != null ? end : lastSeen;
            String name = named.name() != null ? named.name() : end != null && end.name() != null
                    ? end.name() : kind.wireName();
            String id = key.startsWith("c:") ? key.substring(2) : Event.formatId(Long.parseLong(key.substring(2)));
            return new OperationNode(id, kind, name, status, startMs, endMs, durationMs, start, end, progress,
                    parentMissing, frozen);
        }
    }
}
