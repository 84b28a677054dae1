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
    stopped_at     TEXT,            -- undecided on a case resolved or closed since then
    closed_gaps    TEXT,            -- JSON [[from, to|null], ...]: the case resolved or closed
    priority       TEXT NOT NULL,   -- at the instant counted (the outcome, or now)
    tier           TEXT NOT NULL,
    channel        TEXT NOT NULL,
    wall_secs      INTEGER,         -- first response: creation to the response
    business_secs  INTEGER          -- the same in working time on the site's calendar
);
CREATE INDEX report_intervals_case ON report_intervals (case_number);
-- The last instant an interval can count for (its outcome, its end, its stop, or its pending
-- due); reports read the intervals that last into a period.
CREATE INDEX report_intervals_last
    ON report_intervals (coalesce(breached_at, met_at, ended_at, stopped_at, due, '9999'));
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
    change       TEXT NOT NULL,   -- what began it: created | status | priority | tier
    created_at   TEXT NOT NULL,   -- the case's, for its age
    channel      TEXT NOT NULL,
    -- The last instant it can count for: its end (or '9999') while the case is open, its start
    -- when resolved or closed (it counts only as the day's resolution or closure).
    relevant_until TEXT NOT NULL
);
CREATE INDEX report_segments_case ON report_segments (case_number);
CREATE INDEX report_segments_relevant ON report_segments (relevant_until);

-- Notes and calls by their author in a period (the load report).
CREATE INDEX notes_created ON notes (created_at);
