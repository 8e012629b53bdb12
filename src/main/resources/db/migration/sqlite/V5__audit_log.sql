-- Administrative actions (who deleted which session, who changed export settings), newest read first. Not tied
-- to sessions: an entry outlives the session it names. Secrets are never written here (see AuditEntry).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    address TEXT,
    action TEXT NOT NULL,
    target TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
);
