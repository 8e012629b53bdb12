-- The coding agent a session is of (claude-code, codex, gemini-cli, or what an OpenTelemetry source calls itself):
-- the first one its events named (details.agent). Indexed for the session list's agent filter.
ALTER TABLE sessions ADD COLUMN agent TEXT;
CREATE INDEX sessions_by_agent ON sessions (agent);
