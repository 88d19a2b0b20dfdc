-- Foundation schema: institutions, learning accounts and consents, users, sessions, API
-- tokens, bulk uploads, idempotency keys and the audit log.
-- Timestamps are UTC text in RFC 3339 with microseconds ("2026-11-23T10:30:28.123456Z"), so
-- they sort as text. Identifiers are UUIDv7 text. Personal data is never stored in plain text:
-- *_sealed columns hold AES-256-GCM ciphertext, *_index columns keyed hashes (rule R3).

-- An institution is identified by its unified social credit code (rule R2).
CREATE TABLE institutions (
    id            TEXT PRIMARY KEY,
    credit_code   TEXT NOT NULL UNIQUE,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    district_code TEXT NOT NULL,
    status        TEXT NOT NULL,
    trusted       INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

-- One natural person, one learning account: id_index is unique (rule R5).
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    id_sealed     BLOB NOT NULL,
    id_index      TEXT NOT NULL UNIQUE,
    id_masked     TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    gender        TEXT NOT NULL,
    mobile_sealed BLOB,
    mobile_index  TEXT,
    mobile_masked TEXT,
    status        TEXT NOT NULL,
    verified_at   TEXT,
    origin        TEXT NOT NULL,
    opened_by     TEXT REFERENCES institutions (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX accounts_by_status ON accounts (status, id);
CREATE INDEX accounts_by_mobile ON accounts (mobile_index);

-- Which institutions an account belongs to (opened by, or linked to on a later opening).
CREATE TABLE memberships (
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (institution_id, account_id)
);
CREATE INDEX memberships_by_account ON memberships (account_id);

-- Consents are records, never flags: withdrawal keeps the record (rule R4).
CREATE TABLE consents (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    kind          TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    guardian_name TEXT,
    granted_at    TEXT NOT NULL,
    withdrawn_at  TEXT
);
CREATE INDEX consents_by_account ON consents (account_id);

-- Users who sign in. Learners' login is a keyed hash of their mobile number.
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    institution_id TEXT REFERENCES institutions (id),
    account_id     TEXT UNIQUE REFERENCES accounts (id),
    active         INTEGER NOT NULL DEFAULT 1,
    password_hash  TEXT,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    created_at     TEXT NOT NULL
);

-- Sessions keep only the SHA-256 of the cookie's token.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- API tokens are shown once; only their SHA-256 is kept.
CREATE TABLE api_tokens (
    id             TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    name           TEXT NOT NULL,
    token_hash     TEXT NOT NULL UNIQUE,
    prefix         TEXT NOT NULL,
    created_by     TEXT REFERENCES users (id),
    created_at     TEXT NOT NULL,
    last_used_at   TEXT,
    revoked_at     TEXT
);
CREATE INDEX api_tokens_by_institution ON api_tokens (institution_id);

-- A bulk-opening file between its dry run and its confirmation, sealed: it holds ID numbers.
CREATE TABLE uploads (
    id             TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    uploaded_by    TEXT REFERENCES users (id),
    file_name      TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    sealed_content BLOB NOT NULL,
    row_count      INTEGER NOT NULL,
    status         TEXT NOT NULL,
    created_count  INTEGER,
    linked_count   INTEGER,
    unchanged_count INTEGER,
    created_at     TEXT NOT NULL,
    committed_at   TEXT
);
CREATE INDEX uploads_by_institution ON uploads (institution_id, id);

-- Idempotency-Key bookkeeping: status is NULL while the first request runs.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER,
    body         BLOB,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);

-- The audit log is append-only: the triggers refuse changes and deletions.
CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    actor           TEXT,
    actor_role      TEXT,
    via_institution TEXT,
    action          TEXT NOT NULL,
    target_kind     TEXT NOT NULL,
    target_id       TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    detail          TEXT NOT NULL,
    request_id      TEXT
);
CREATE INDEX audit_by_actor ON audit_log (actor, seq);
CREATE INDEX audit_by_target ON audit_log (target_id, seq);
CREATE INDEX audit_by_action ON audit_log (action, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
