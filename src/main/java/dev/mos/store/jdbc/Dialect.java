package dev.mos.store.jdbc;

/** What differs between the two SQL databases we support; the SQL itself is shared. */
public enum Dialect {
    SQLITE("classpath:db/migration/sqlite"),
    POSTGRES("classpath:db/migration/postgres");

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    String migrations() {
        return migrations;
    }
}
