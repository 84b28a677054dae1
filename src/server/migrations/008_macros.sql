-- The team's macros (GET/PUT /v1/macros): one row per macro, its definition as JSON.
CREATE TABLE macros (
    name        TEXT PRIMARY KEY,
    body        TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- One row: the set's version, moved by every change (its ETag).
CREATE TABLE macro_meta (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL,
    seeded   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO macro_meta (id, version, seeded) VALUES (1, 0, 0);
