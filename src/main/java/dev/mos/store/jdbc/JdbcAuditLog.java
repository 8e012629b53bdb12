package dev.mos.store.jdbc;

import dev.mos.model.AuditEntry;
import dev.mos.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The audit_log table: administrative actions, written one at a time (they are rare) and read newest first. */
final class JdbcAuditLog {

    private final Database database;

    JdbcAuditLog(Database database) {
        this.database = database;
    }

    AuditEntry record(AuditEntry entry) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at_ms, actor, address, action,"
                        + " target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, entry.atMs());
            ps.setString(2, entry.actor());
            setNullable(ps, 3, entry.address());
            ps.setString(4, entry.action());
            setNullable(ps, 5, entry.target());
            ps.setString(6, entry.outcome());
            setNullable(ps, 7, entry.detail());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return entry.withId(keys.next() ? keys.getLong(1) : 0);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database failed to keep an audit entry: "
                    + JdbcErrors.describe(e), e);
        }
    }

    List<AuditEntry> newest(int limit) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, at_ms, actor, address, action, target, outcome,"
                        + " detail FROM audit_log ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database failed to read the audit log: "
                    + JdbcErrors.describe(e), e);
        }
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
