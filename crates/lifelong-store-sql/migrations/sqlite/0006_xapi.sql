-- The learning record store (xAPI). Statements are kept per tenant: an institution, interned as
-- a small integer so that the indexes stay narrow. Filters (agent, activity, verb,
-- registration) are 64-bit keys derived from the filtered value; a statement has one row per
-- key in `xapi_filter_keys`, including the keys it inherits from the statement it refers to.

CREATE TABLE xapi_tenants (
    tenant         INTEGER PRIMARY KEY,
    institution_id TEXT NOT NULL UNIQUE REFERENCES institutions (id)
);

-- A learning platform's client credential. Secrets are random, so SHA-256 is enough.
CREATE TABLE xapi_credentials (
    id            TEXT PRIMARY KEY,
    tenant        INTEGER NOT NULL REFERENCES xapi_tenants (tenant),
    label         TEXT NOT NULL,
    key           TEXT NOT NULL UNIQUE,
    secret_sha256 TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT REFERENCES users (id),
    revoked_at    TEXT,
    last_used_at  TEXT,
    statements    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX xapi_credentials_by_tenant ON xapi_credentials (tenant);

-- `seq` is the order of storage and `stored` (µs since the epoch) grows with it: one writer
-- assigns both. `target` is the StatementRef object (voiding or not), `voids` only for voiding
-- statements. `account_id`/`entry_id` name the archive entry written for a learner, if any.
-- `keys` holds the statement's filter keys (8 bytes each, inherited ones too).
CREATE TABLE xapi_statements (
    seq        INTEGER PRIMARY KEY,
    tenant     INTEGER NOT NULL,
    id         TEXT NOT NULL,
    stored     INTEGER NOT NULL,
    voids      TEXT,
    target     TEXT,
    voided     INTEGER NOT NULL DEFAULT 0,
    comparison BLOB NOT NULL,
    keys       BLOB NOT NULL,
    credential TEXT NOT NULL,
    account_id TEXT,
    entry_id   TEXT,
    body       TEXT NOT NULL
);
CREATE UNIQUE INDEX xapi_statements_by_id ON xapi_statements (tenant, id);
CREATE INDEX xapi_statements_by_tenant ON xapi_statements (tenant, seq);
CREATE INDEX xapi_statements_by_stored ON xapi_statements (stored, seq);
CREATE INDEX xapi_statements_by_target ON xapi_statements (tenant, target) WHERE target IS NOT NULL;

CREATE TABLE xapi_filter_keys (
    tenant INTEGER NOT NULL,
    key    INTEGER NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (tenant, key, seq)
) WITHOUT ROWID;

-- The latest definition each tenant's statements gave an activity (the /activities resource).
CREATE TABLE xapi_activities (
    tenant     INTEGER NOT NULL,
    iri        TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (tenant, iri)
);

-- Attachment contents, once per SHA-256; statements name them in their `attachments`.
CREATE TABLE xapi_attachments (
    sha2         TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    length       INTEGER NOT NULL,
    content      BLOB NOT NULL
);

-- State, activity profile and agent profile documents. Empty text stands for a key part the
-- kind does not have (an activity profile has no agent, for example).
CREATE TABLE xapi_documents (
    tenant       INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    activity     TEXT NOT NULL,
    agent        TEXT NOT NULL,
    registration TEXT NOT NULL,
    doc_id       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    etag         TEXT NOT NULL,
    updated      TEXT NOT NULL,
    PRIMARY KEY (tenant, kind, activity, agent, registration, doc_id)
);

-- Refused requests, the newest kept for the institution's console.
CREATE TABLE xapi_refusals (
    id         INTEGER PRIMARY KEY,
    tenant     INTEGER NOT NULL,
    at         TEXT NOT NULL,
    credential TEXT NOT NULL,
    method     TEXT NOT NULL,
    resource   TEXT NOT NULL,
    status     INTEGER NOT NULL,
    code       TEXT NOT NULL,
    message    TEXT NOT NULL
);
CREATE INDEX xapi_refusals_by_tenant ON xapi_refusals (tenant, id);
