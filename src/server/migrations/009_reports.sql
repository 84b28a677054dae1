-- Facts the reports for leads are read from (issue 19), rewritten for a case whenever its
-- clocks are refreshed (every write and the jobs), so a report over a year reads rows instead
-- of replaying every history. Cases without facts (a database from before this migration) are
-- filled in when the server starts.

-- Every interval of a case's clocks that reports count: first response, next update, RMA return.
CREATE TABLE report_intervals (
    case_number    TEXT NOT NULL,
    clock          TEXT NOT NULL,   -- first_response | next_update | rma_return
    started_at     TEXT NOT NULL,
    ended_at       TEXT,            -- replaced by a later interval (a response, a reopen)
    met_at         TEXT,
    breached_at    TEXT,            -- its due instant; a breach stands even if met later
    due            TEXT,            -- still running: breached at this instant once it passes
    closed_gaps    TEXT,            -- JSON [[from, to|null], ...]: the case resolved or closed
    priority       TEXT NOT NULL,   -- at the instant counted (the outcome, or now)
    tier           TEXT NOT NULL,
    wall_secs      INTEGER,         -- first response: creation to the response
    business_secs  INTEGER          -- the same in working time on the site's calendar
);
CREATE INDEX report_intervals_case ON report_intervals (case_number);
-- The instant that decides an interval (or its end, or its pending due); reports read the
-- intervals decided after a period starts, or not yet.
CREATE INDEX report_intervals_decided
    ON report_intervals (coalesce(breached_at, met_at, ended_at, due, '9999'));
CREATE INDEX report_intervals_responses
    ON report_intervals (met_at) WHERE clock = 'first_response' AND met_at IS NOT NULL;

-- A case's life in pieces of constant status, priority and tier.
CREATE TABLE report_segments (
    case_number  TEXT NOT NULL,
    start        TEXT NOT NULL,
    end          TEXT,            -- null: still so
    status       TEXT NOT NULL,
    priority     TEXT NOT NULL,
    tier         TEXT NOT NULL,
    change       TEXT NOT NULL    -- what began it: created | status | priority | tier
);
CREATE INDEX report_segments_case ON report_segments (case_number);
CREATE INDEX report_segments_start ON report_segments (start);
CREATE INDEX report_segments_end ON report_segments (coalesce(end, '9999'));

-- Notes and calls by their author in a period (the load report).
CREATE INDEX notes_created ON notes (created_at);
