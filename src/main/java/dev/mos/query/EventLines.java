package dev.mos.query;

import dev.mos.model.Event;
import dev.mos.model.OperationNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One event as one line of a stream or log, Claude-Code style or plain. */
public final class EventLines {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private EventLines() {
    }

    /**
     * @param operation the operation the event belongs to, or null when unknown
     * @param slowMs    the threshold above which the operation is flagged slow
     */
    public static String line(Event e, OperationNode operation, long slowMs, long nowMs, TextStyle style) {
        boolean claude = style == TextStyle.CLAUDE_CODE;
        StringBuilder out = new StringBuilder();
        out.append('#').append(e.sequence()).append(' ');
        out.append(claude ? CLOCK.format(Instant.ofEpochMilli(e.timestamp())) : Durations.iso(e.timestamp()));
        out.append(' ');
        if (claude) {
            out.append(e.type().kind().icon()).append(' ');
        }
        out.append(e.name() != null ? e.name() : e.type().kind().wireName());
        out.append(' ').append(e.type().wireName());
        if (e.type().closes() || e.status() != dev.mos.model.EventStatus.STARTED) {
            out.append(' ').append(claude ? statusSymbol(e) : e.status().wireName());
        }
        Long duration = e.durationMs();
        if (duration == null && operation != null && e.type().closes()) {
            duration = operation.durationMs();
        }
        if (duration != null) {
            out.append(' ').append(Durations.format(duration));
        }
        long elapsed = duration != null ? duration
                : operation != null && operation.running() ? operation.elapsedMs(nowMs) : 0;
        if (elapsed > slowMs) {
            out.append(claude ? " 🐢 SLOW" : " SLOW").append(" (>").append(Durations.format(slowMs)).append(')');
        }
        if (e.description() != null) {
            String d = e.description().replace('\n', ' ');
            out.append(" — ").append(d.length() > 120 ? d.substring(0, 117) + "..." : d);
        }
        return out.toString();
    }

    private static String statusSymbol(Event e) {
        return switch (e.status()) {
            case SUCCESS -> "✅";
            case ERROR -> "❌";
            case TIMEOUT -> "⏱️";
            case RUNNING, STARTED -> "🔄";
        };
    }
}
