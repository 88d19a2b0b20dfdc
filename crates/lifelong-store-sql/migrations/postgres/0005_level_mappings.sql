-- Level mappings (R12): the levels of another framework (the EQF, Guangdong's) placed onto the
-- levels of one of ours, as guidance. One mapping per pair of frameworks, kept whole as JSON in
-- `body` like the rest of the catalog. The framework mapped onto must exist; frameworks are
-- never deleted.
CREATE TABLE level_mappings (
    from_framework TEXT NOT NULL,
    to_framework   TEXT NOT NULL REFERENCES frameworks (code),
    body           TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (from_framework, to_framework)
);
