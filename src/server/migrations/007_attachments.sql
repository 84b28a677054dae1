-- Files on a case: uploaded by support (content on disk under the server's attachments
-- directory, named by its SHA-256) or come with a customer's mail (content kept here).
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_number   TEXT NOT NULL REFERENCES cases (number),
    note_id       INTEGER REFERENCES notes (id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    -- NULL: the content is the file <attachments dir>/<sha256>.
    content       BLOB
);
CREATE INDEX attachments_case ON attachments (case_number, id);
CREATE INDEX attachments_note ON attachments (note_id);

INSERT INTO attachments (id, case_number, note_id, name, content_type, size, sha256, added_by, added_at, content)
    SELECT a.id, n.case_number, a.note_id, a.name, a.content_type, a.size, a.sha256, n.author, n.created_at, a.content
    FROM note_attachments a JOIN notes n ON n.id = a.note_id;
DROP TABLE note_attachments;
