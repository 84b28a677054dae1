-- The case store. Instants are RFC 3339 UTC text ("2026-11-22T03:04:05Z"), which sorts in time order.

CREATE TABLE tokens (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE cases (
    number            TEXT PRIMARY KEY,
    day               TEXT NOT NULL,
    day_seq           INTEGER NOT NULL,
    subject           TEXT NOT NULL,
    description       TEXT NOT NULL,
    priority          TEXT NOT NULL,
    initial_priority  TEXT NOT NULL,
    status            TEXT NOT NULL,
    close_reason      TEXT,
    owner             TEXT,
    tier              TEXT NOT NULL,
    initial_tier      TEXT NOT NULL,
    calendar          TEXT,
    channel           TEXT NOT NULL,
    request_type      TEXT NOT NULL,
    user_type         TEXT NOT NULL,
    site_name         TEXT NOT NULL,
    site_id           TEXT NOT NULL,
    account           TEXT NOT NULL,
    contact_name      TEXT NOT NULL,
    contact_email     TEXT NOT NULL,
    contact_phone     TEXT NOT NULL,
    preferred_contact TEXT NOT NULL,
    product           TEXT NOT NULL,
    platform          TEXT NOT NULL,
    software_version  TEXT NOT NULL,
    serial_number     TEXT COLLATE NOCASE,
    problem_reports   TEXT NOT NULL DEFAULT '[]',
    attachments       TEXT NOT NULL DEFAULT '[]',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    change_seq        INTEGER NOT NULL DEFAULT 0,
    -- Derived from the clocks at every write and by the jobs:
    next_due          TEXT,
    watch_at          TEXT,
    breached          INTEGER NOT NULL DEFAULT 0,
    downgraded        INTEGER NOT NULL DEFAULT 0,
    open_escalations  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (day, day_seq)
);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_next_due ON cases (next_due);
CREATE INDEX cases_watch_at ON cases (watch_at) WHERE watch_at IS NOT NULL;
CREATE INDEX cases_updated ON cases (updated_at);
CREATE INDEX cases_change_seq ON cases (change_seq);
CREATE INDEX cases_serial ON cases (serial_number);
CREATE INDEX cases_owner ON cases (owner);

-- Everything the SLA clocks are computed from, and the human history of changes.
CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY,
    case_number  TEXT NOT NULL REFERENCES cases (number),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    event        TEXT,            -- sla::CaseEvent as JSON, when the clocks care
    summary      TEXT,            -- for the history, when not a note
    reason       TEXT
);
CREATE INDEX case_events_case ON case_events (case_number, at);

CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    case_number  TEXT NOT NULL REFERENCES cases (number),
    author       TEXT NOT NULL,
    party        TEXT NOT NULL,
    visibility   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX notes_case ON notes (case_number, id);

CREATE TABLE escalations (
    id               INTEGER PRIMARY KEY,
    case_number      TEXT NOT NULL REFERENCES cases (number),
    kind             TEXT NOT NULL,
    state            TEXT NOT NULL,
    reason           TEXT NOT NULL,
    contact_method   TEXT,
    requested_by     TEXT NOT NULL,
    requested_at     TEXT NOT NULL,
    acknowledged_by  TEXT,
    acknowledged_at  TEXT,
    closed_by        TEXT,
    closed_at        TEXT,
    resolution       TEXT
);
CREATE INDEX escalations_state ON escalations (state);
CREATE INDEX escalations_case ON escalations (case_number);

CREATE TABLE rmas (
    number           TEXT PRIMARY KEY,
    case_number      TEXT NOT NULL REFERENCES cases (number),
    status           TEXT NOT NULL,
    account          TEXT NOT NULL,
    serial_number    TEXT NOT NULL,
    part_number      TEXT NOT NULL,
    analysis         TEXT,
    created_at       TEXT NOT NULL,
    issued_at        TEXT,
    return_due       TEXT,
    overdue_notified INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX rmas_case ON rmas (case_number);
CREATE INDEX rmas_serial ON rmas (serial_number);

CREATE TABLE entitlements (
    serial_number  TEXT PRIMARY KEY COLLATE NOCASE,
    tier           TEXT NOT NULL,
    contract_end   TEXT NOT NULL,
    site_name      TEXT NOT NULL,
    site_id        TEXT NOT NULL,
    account        TEXT NOT NULL
);

-- The change feed and the event stream: one row per event, ids from one server-wide sequence.
CREATE TABLE changes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    case_number  TEXT,
    data         TEXT NOT NULL
);

-- Breaches already announced, so each clock's breach is announced once, across restarts.
CREATE TABLE breaches (
    case_number  TEXT NOT NULL,
    clock        TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    due          TEXT NOT NULL,
    PRIMARY KEY (case_number, clock, started_at)
);

-- First responses to POSTs with an Idempotency-Key, replayed on a retry.
CREATE TABLE idempotency (
    token_name   TEXT NOT NULL,
    key          TEXT NOT NULL,
    request      TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    location     TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (token_name, key)
);

-- Keyword search over subject, description, serial, site, contact and notes; trigram so that
-- Japanese (no spaces between words) matches by substring. A case's row has the case's rowid,
-- so reindexing one case is a lookup, not a scan.
CREATE VIRTUAL TABLE case_text USING fts5 (number UNINDEXED, body, tokenize = 'trigram');
