package dev.mos.store.jdbc;

import java.sql.SQLException;

/** Turns driver exceptions into one-line reasons fit for health reports and client errors (no secrets). */
final class JdbcErrors {

    private JdbcErrors() {
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof SQLException)) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = message.lines().findFirst().orElse(message);
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return DatabaseUrl.redactText(message);
    }
}
