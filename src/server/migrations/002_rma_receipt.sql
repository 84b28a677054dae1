-- When the defective unit of an RMA came back (SPEC §2.8): the analysis request's due date
-- counts from it. RMAs that reached defective_received before this column existed keep NULL:
-- their receipt was never recorded, and no date is made up for them.
ALTER TABLE rmas ADD COLUMN received_at TEXT;
