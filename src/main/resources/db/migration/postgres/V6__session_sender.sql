-- The name of the token a session's first token-sent event came with (never the token); NULL for sessions
-- nobody's token sent. Indexed for the session list's sender filter.
ALTER TABLE sessions ADD COLUMN sender TEXT;
CREATE INDEX sessions_by_sender ON sessions (sender);
