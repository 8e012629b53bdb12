-- The project a session works on (Claude Code's cwd, or details.project), set from the first event naming one;
-- NULL until then. Indexed for the session list's exact-match project filter.
ALTER TABLE sessions ADD COLUMN project TEXT;
CREATE INDEX sessions_by_project ON sessions (project);
