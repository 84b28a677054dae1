-- The mail channel (server/mail/): what goes out, what came in, and how far the feed was read.

-- Outgoing mail, composed once when its event happens and sent from here: survives restarts,
-- retried with backoff; one row per event, so a mail is never queued twice.
CREATE TABLE mail_out (
    id               INTEGER PRIMARY KEY,
    event_key        TEXT NOT NULL UNIQUE,   -- "ack:NUMBER", "note:ID", "priority:SEQ", ...
    case_number      TEXT,                   -- NULL for an answer to mail about no case
    note_id          INTEGER,                -- the public note it carries, if any
    kind             TEXT NOT NULL,          -- acknowledgement, note, priority_changed, ...
    message_id       TEXT NOT NULL UNIQUE,   -- without <>; the same on every attempt
    recipient        TEXT NOT NULL,          -- "Name <addr>"
    subject          TEXT NOT NULL,
    raw              BLOB NOT NULL,          -- the whole RFC 5322 message
    state            TEXT NOT NULL,          -- queued | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,                   -- the mail server's words
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX mail_out_due ON mail_out (state, next_attempt_at);
CREATE INDEX mail_out_case ON mail_out (case_number);
CREATE INDEX mail_out_note ON mail_out (note_id) WHERE note_id IS NOT NULL;

-- Every message taken from the mailbox, once (Message-ID, or a hash of the bytes when it has
-- none); the original bytes are kept.
CREATE TABLE mail_in (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL,      -- applied | opened | held | error | answered | ignored | released | discarded
    reason       TEXT,               -- why held, ignored or unparseable
    sender       TEXT NOT NULL,      -- the From address ('' when unreadable)
    subject      TEXT NOT NULL,
    case_number  TEXT,               -- the case it was matched to or opened
    note_id      INTEGER,            -- the note it became
    raw          BLOB NOT NULL,
    received_at  TEXT NOT NULL,
    decided_by   TEXT,               -- the agent who released or discarded it
    decided_at   TEXT
);
CREATE INDEX mail_in_state ON mail_in (state);

-- Automatic answers sent per sender, for the rate limit.
CREATE TABLE mail_answers (
    sender  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX mail_answers_sender ON mail_answers (sender, at);

-- The feed cursor and other single values of the mail channel.
CREATE TABLE mail_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- What each case's last mail told the contact, so a change is mailed once (priority, status).
CREATE TABLE mail_threads (
    case_number  TEXT PRIMARY KEY,
    priority     TEXT NOT NULL,
    status       TEXT NOT NULL
);

-- Files that came with a customer's mail, kept with the note.
CREATE TABLE note_attachments (
    id            INTEGER PRIMARY KEY,
    note_id       INTEGER NOT NULL REFERENCES notes (id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL
);
CREATE INDEX note_attachments_note ON note_attachments (note_id);

-- A note that came by mail: its sender, and the message it came in (the full original).
ALTER TABLE notes ADD COLUMN email_from TEXT;
ALTER TABLE notes ADD COLUMN mail_in_id INTEGER;

-- The language of mail to this case's contact ('ja' or 'en'); NULL: the server's [mail] language.
ALTER TABLE cases ADD COLUMN contact_language TEXT;
-- A case opened from a reply to a long-closed case names that case.
ALTER TABLE cases ADD COLUMN related_case TEXT;
