package dev.mos.store.jdbc;

import dev.mos.model.DisplayInfo;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.SessionInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Rows to values and back: the one place that knows the column layout of the migrations. */
final class EventRows {

    static final String EVENT_COLUMNS = "id, session_id, sequence, type, status, ts, duration_ms, parent_id,"
            + " correlation_id, name, description, details_json, di_name, di_description, di_icon, di_color";

    /** The id is the store's own (reserved in the same transaction), so it is known before the row exists. */
    static String insertEvent(Dialect dialect) {
        return "INSERT INTO events (id, session_id, sequence, type, status, ts, duration_ms,"
                + " parent_id, correlation_id, name, description, details_json, di_name, di_description, di_icon,"
                + " di_color, bytes)" + (dialect == Dialect.POSTGRES ? " OVERRIDING SYSTEM VALUE" : "")
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    static final String SESSION_COLUMNS = "session_id, created_ms, last_activity_ms, retained, dropped,"
            + " first_sequence, last_sequence, show_timings, collapse_fast_ops, threshold_slow_ms, max_tree_depth,"
            + " highlight_errors, project, sender, agent";

    private EventRows() {
    }

    static void bindInsert(PreparedStatement ps, NewEvent e, long id, long sequence, int bytes)
            throws SQLException {
        ps.setLong(1, id);
        ps.setString(2, e.sessionId());
        ps.setLong(3, sequence);
        ps.setString(4, e.type().wireName());
        ps.setString(5, e.status().wireName());
        ps.setLong(6, e.timestamp());
        setLong(ps, 7, e.durationMs());
        ps.setString(8, e.parentId());
        ps.setString(9, e.correlationId());
        ps.setString(10, e.name());
        ps.setString(11, e.description());
        ps.setString(12, e.detailsJson());
        DisplayInfo di = e.displayInfo();
        ps.setString(13, di == null ? null : di.name());
        ps.setString(14, di == null ? null : di.description());
        ps.setString(15, di == null ? null : di.icon());
        ps.setString(16, di == null ? null : di.color());
        ps.setInt(17, bytes);
    }

    static Event event(ResultSet rs) throws SQLException {
        String diName = rs.getString(13);
        String diDescription = rs.getString(14);
        String diIcon = rs.getString(15);
        String diColor = rs.getString(16);
        DisplayInfo di = diName == null && diDescription == null && diIcon == null && diColor == null ? null
                : new DisplayInfo(diName, diDescription, diIcon, diColor);
        return new Event(rs.getLong(1), rs.getString(2), rs.getLong(3),
                EventType.fromWire(rs.getString(4)).orElseThrow(
                        () -> new SQLException("unknown event type in store: " + safe(rs, 4))),
                EventStatus.fromWire(rs.getString(5)).orElseThrow(
                        () -> new SQLException("unknown event status in store: " + safe(rs, 5))),
                rs.getLong(6), getLong(rs, 7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), di);
    }

    static SessionInfo session(ResultSet rs) throws SQLException {
        int depth = rs.getInt(11);
        DisplaySettings display = rs.wasNull() ? DisplaySettings.DEFAULTS
                : new DisplaySettings(rs.getBoolean(8), rs.getBoolean(9), getLong(rs, 10), depth, rs.getBoolean(12));
        return new SessionInfo(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), display, rs.getString(13), rs.getString(14), rs.getString(15));
    }

    /** A rough size of what the event costs in the store, for the store_estimated_mb figure. */
    static int bytes(NewEvent e) {
        DisplayInfo di = e.displayInfo();
        return 64 + len(e.sessionId()) + len(e.parentId()) + len(e.correlationId()) + len(e.name())
                + len(e.description()) + len(e.detailsJson())
                + (di == null ? 0 : len(di.name()) + len(di.description()) + len(di.icon()) + len(di.color()));
    }

    private static int len(String s) {
        return s == null ? 0 : s.length();
    }

    private static String safe(ResultSet rs, int column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            return "?";
        }
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static Long getLong(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? null : value;
    }
}
