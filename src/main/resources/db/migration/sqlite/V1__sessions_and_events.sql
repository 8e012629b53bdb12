-- One row per session: the counters the store needs without reading events, and the display settings
-- (NULL max_tree_depth = defaults).
CREATE TABLE sessions (
    session_id        TEXT PRIMARY KEY,
    created_ms        INTEGER NOT NULL,
    last_activity_ms  INTEGER NOT NULL,
    last_event_id     INTEGER NOT NULL DEFAULT 0,
    first_sequence    INTEGER NOT NULL,
    last_sequence     INTEGER NOT NULL,
    retained          INTEGER NOT NULL,
    dropped           INTEGER NOT NULL DEFAULT 0,
    bytes             INTEGER NOT NULL DEFAULT 0,
    show_timings      INTEGER,
    collapse_fast_ops INTEGER,
    threshold_slow_ms INTEGER,
    max_tree_depth    INTEGER,
    highlight_errors  INTEGER
);
CREATE INDEX sessions_by_activity ON sessions (last_activity_ms);

-- AUTOINCREMENT: ids are handed to clients (evt_...), so a deleted id must never be reused.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id     TEXT    NOT NULL,
    sequence       INTEGER NOT NULL,
    type           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    ts             INTEGER NOT NULL,
    duration_ms    INTEGER,
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
