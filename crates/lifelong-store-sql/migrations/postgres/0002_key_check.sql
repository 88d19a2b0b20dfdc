-- A value sealed with the master key when the database first meets one. At every start the
-- key in use must open it, so a wrong or replaced key is refused before it seals anything.
CREATE TABLE key_check (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    sealed     BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
