-- The credit bank: its maintained catalog (framework, units, recognition standards,
-- programmes, conversion rules, working-day calendar), learners' outcomes with the review
-- queue and evidence, recognitions, conversion applications and exemptions, and the
-- append-only, hash-chained lifelong archive (rules R7–R23).
-- Credits are stored as integer hundredths and hours as integer tenths, so sums are exact.
-- Catalog items keep their full definition as JSON in `body`; the other columns are copies
-- of the fields that are searched or joined on.

CREATE TABLE frameworks (
    code       TEXT PRIMARY KEY,
    is_default BIGINT NOT NULL DEFAULT 0,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Published versions are never changed; a new version supersedes (R13, R17).
CREATE TABLE units (
    code        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    status      TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_until TEXT,
    title_zh    TEXT NOT NULL,
    category    TEXT NOT NULL,
    level       BIGINT NOT NULL,
    industry    TEXT,
    credits     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

CREATE TABLE standards (
    code        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    status      TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_until TEXT,
    title_zh    TEXT NOT NULL,
    unit_code   TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

CREATE TABLE programmes (
    code           TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    title_zh       TEXT NOT NULL,
    level          BIGINT NOT NULL,
    body           TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX programmes_by_institution ON programmes (institution_id);

CREATE TABLE conversion_rules (
    code           TEXT NOT NULL,
    version        BIGINT NOT NULL,
    status         TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_until    TEXT,
    title_zh       TEXT NOT NULL,
    programme_code TEXT NOT NULL REFERENCES programmes (code),
    course_code    TEXT NOT NULL,
    body           TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (code, version)
);
CREATE INDEX conversion_rules_by_programme ON conversion_rules (programme_code);

-- Exceptions to Monday–Friday: holidays (working = 0) and worked weekend days (working = 1).
CREATE TABLE calendar_days (
    day     TEXT PRIMARY KEY,
    working BIGINT NOT NULL,
    note    TEXT NOT NULL DEFAULT ''
);

-- A learning outcome deposited by an institution or applied for by a learner (R7, R15).
-- An institution's external record id is unique per institution: re-uploading never
-- deposits twice.
CREATE TABLE outcomes (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    institution_id TEXT REFERENCES institutions (id),
    external_id    TEXT,
    origin         TEXT NOT NULL,
    status         TEXT NOT NULL,
    kind           TEXT NOT NULL,
    category       TEXT NOT NULL,
    title          TEXT NOT NULL,
    completed_on   TEXT NOT NULL,
    credits        BIGINT,
    hours          BIGINT,
    body           TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    due_on         TEXT,
    decided_at     TEXT,
    decided_by     TEXT REFERENCES users (id),
    decision_note  TEXT,
    entry_id       TEXT,
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX outcomes_by_external_id ON outcomes (institution_id, external_id);
CREATE INDEX outcomes_by_account ON outcomes (account_id, completed_on);
CREATE INDEX outcomes_queue ON outcomes (status, due_on, id);

-- Evidence a learner uploads with an application: sealed, with its SHA-256.
CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    outcome_id   TEXT NOT NULL REFERENCES outcomes (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    sealed       BYTEA NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX evidence_by_outcome ON evidence (outcome_id);

-- What happened to an outcome under review, for the learner to follow.
CREATE TABLE review_events (
    id         TEXT PRIMARY KEY,
    outcome_id TEXT NOT NULL REFERENCES outcomes (id),
    at         TEXT NOT NULL,
    actor      TEXT REFERENCES users (id),
    action     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_events_by_outcome ON review_events (outcome_id, at);

-- The bank placed an outcome against a unit under a standard (R16), with the explanation (R23).
CREATE TABLE recognitions (
    id               TEXT PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts (id),
    outcome_id       TEXT NOT NULL UNIQUE REFERENCES outcomes (id),
    certificate_no   TEXT NOT NULL UNIQUE,
    standard_code    TEXT NOT NULL,
    standard_version BIGINT NOT NULL,
    unit_code        TEXT NOT NULL,
    unit_version     BIGINT NOT NULL,
    credits          BIGINT NOT NULL,
    category         TEXT NOT NULL,
    level            BIGINT NOT NULL,
    recognised_on    TEXT NOT NULL,
    explanation      TEXT NOT NULL,
    entry_id         TEXT NOT NULL,
    revoked_at       TEXT
);
CREATE INDEX recognitions_by_account ON recognitions (account_id);

CREATE TABLE conversion_applications (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    programme_code TEXT NOT NULL REFERENCES programmes (code),
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    status         TEXT NOT NULL,
    applied_on     TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    requested      TEXT NOT NULL,
    explanation    TEXT NOT NULL,
    decision       TEXT,
    submitted_at   TEXT NOT NULL,
    decided_at     TEXT,
    decided_by     TEXT REFERENCES users (id),
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX conversion_applications_by_account ON conversion_applications (account_id);
CREATE INDEX conversion_applications_queue ON conversion_applications (institution_id, status, due_on);

-- One course exempted once, one outcome used once, per learner and programme (R20, R21).
CREATE TABLE exemptions (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    programme_code TEXT NOT NULL REFERENCES programmes (code),
    course_code    TEXT NOT NULL,
    outcome_id     TEXT NOT NULL REFERENCES outcomes (id),
    outcome_kind   TEXT NOT NULL,
    rule_code      TEXT NOT NULL,
    rule_version   BIGINT NOT NULL,
    credits        BIGINT NOT NULL,
    application_id TEXT NOT NULL REFERENCES conversion_applications (id),
    entry_id       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (account_id, programme_code, course_code),
    UNIQUE (account_id, programme_code, outcome_id)
);

-- The lifelong archive: append-only, one hash chain per learner (R8). `year`, `category`
-- and `outcome_kind` are copies of the body's fields for filtering.
CREATE TABLE archive_entries (
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    seq          BIGINT NOT NULL,
    id           TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    reverses     TEXT,
    recorded_at  TEXT NOT NULL,
    year         BIGINT,
    category     TEXT,
    outcome_kind TEXT,
    body         TEXT NOT NULL,
    prev_hash    BYTEA NOT NULL,
    hash         BYTEA NOT NULL,
    PRIMARY KEY (account_id, seq)
);

-- Where each learner's chain ends.
CREATE TABLE archive_heads (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    seq        BIGINT NOT NULL,
    hash       BYTEA NOT NULL
);

CREATE FUNCTION archive_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'archive_entries is append-only';
END;
$$;
CREATE TRIGGER archive_entries_no_change BEFORE UPDATE OR DELETE ON archive_entries
    FOR EACH ROW EXECUTE FUNCTION archive_entries_append_only();

-- Uploads now carry what they are for: opening accounts, or depositing outcomes.
ALTER TABLE uploads ADD COLUMN purpose TEXT NOT NULL DEFAULT 'accounts';
