-- Full-text search over what events captured (their SearchText: name, description, values of the details), as a
-- tsvector per event with a GIN index. Filled in the background from search_progress on, so writing an event never
-- waits for it.
CREATE TABLE event_search (
    event_id BIGINT PRIMARY KEY,
    doc      TSVECTOR NOT NULL
);
CREATE INDEX event_search_doc ON event_search USING GIN (doc);
CREATE TABLE search_progress (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id BIGINT NOT NULL
);
INSERT INTO search_progress (id, last_event_id) VALUES (1, 0);
