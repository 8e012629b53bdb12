-- Full-text search over what events captured (their SearchText: name, description, values of the details).
-- Contentless: the text itself stays in events; the index holds only the words, by event id (rowid). Filled in
-- the background from search_progress on, so writing an event never waits for it.
CREATE VIRTUAL TABLE event_text USING fts5(body, content = '', tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE search_progress (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id INTEGER NOT NULL
);
INSERT INTO search_progress (id, last_event_id) VALUES (1, 0);
