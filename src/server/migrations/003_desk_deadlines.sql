-- A case's next_due and breached now count only the desk's own deadlines (an RMA return is the
-- customer's, flagged on the RMA). The stored columns were computed the old way: ask the jobs to
-- recompute every case on their next run (watch_at in the past), which also sets watch_at anew.
UPDATE cases SET watch_at = '1970-01-01T00:00:00.000Z';
