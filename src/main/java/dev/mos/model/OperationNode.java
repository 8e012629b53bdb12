package dev.mos.model;

import java.util.List;

/**
 * One operation (span) of a session: the start and end events of the same work merged into one node, with its
 * children. {@code start} or {@code end} is null when that event never arrived or was dropped.
 */
public record OperationNode(
        String id,
        OperationKind kind,
        String name,
        OperationStatus status,
        long startMs,
        Long endMs,
        Long durationMs,
        Event start,
        Event end,
        List<Event> progress,
        boolean parentMissing,
        List<OperationNode> children) {

    public OperationNode {
        progress = List.copyOf(progress);
        children = List.copyOf(children);
    }

    public boolean running() {
        return status == OperationStatus.RUNNING;
    }

    /**
     * The event that describes the operation best: its start, else its end, else (a point made only of progress,
     * such as a task_progress outside any task) its first progress event. Never null.
     */
    public Event primary() {
        return start != null ? start : end != null ? end : progress.getFirst();
    }

    /** Duration so far for running operations, measured against {@code nowMs}. */
    public long elapsedMs(long nowMs) {
        if (durationMs != null) {
            return durationMs;
        }
        return Math.max(0, nowMs - startMs);
    }
}
