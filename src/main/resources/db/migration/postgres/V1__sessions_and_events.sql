-- Same shape as the SQLite schema; see db/migration/sqlite/V1 for the reasoning.
CREATE TABLE sessions (
    session_id        TEXT PRIMARY KEY,
    created_ms        BIGINT  NOT NULL,
    last_activity_ms  BIGINT  NOT NULL,
    last_event_id     BIGINT  NOT NULL DEFAULT 0,
    first_sequence    BIGINT  NOT NULL,
    last_sequence     BIGINT  NOT NULL,
    retained          INTEGER NOT NULL,
    dropped           BIGINT  NOT NULL DEFAULT 0,
    bytes             BIGINT  NOT NULL DEFAULT 0,
    show_timings      BOOLEAN,
    collapse_fast_ops BOOLEAN,
    threshold_slow_ms BIGINT,
    max_tree_depth    INTEGER,
    highlight_errors  BOOLEAN
);
CREATE INDEX sessions_by_activity ON sessions (last_activity_ms);

CREATE TABLE events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     TEXT    NOT NULL,
    sequence       BIGINT  NOT NULL,
    type           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    ts             BIGINT  NOT NULL,
    duration_ms    BIGINT,
    parent_id      TEXT,
    correlation_id TEXT,
    name           TEXT,
    description    TEXT,
    details_json   TEXT,
    di_name        TEXT,
    di_description TEXT,
    di_icon        TEXT,
    di_color       TEXT,
    bytes          INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_by_session_sequence ON events (session_id, sequence);
