-- An Idempotency-Key is kept with a hash of the request it answered (method, path and body),
-- so the key reused for a different request is refused instead of replaying the first answer.
-- Keys kept before this have none and are compared by method and path only.
ALTER TABLE idempotency ADD COLUMN fingerprint TEXT;
