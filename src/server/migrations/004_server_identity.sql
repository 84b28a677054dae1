-- The server's identity: a stable id made once, reported in /v1/me, so a client can tell
-- this server from another at the same (or a changed) URL and never send one server's
-- queued changes to another.
CREATE TABLE server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO server_meta (key, value) VALUES ('server_id', lower(hex(randomblob(16))));
