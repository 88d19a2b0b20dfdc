-- Conversion (R16–R21): one open application per learner and programme. A learner applies
-- again once the institution has decided; two applications waiting at once could each be
-- accepted against the same caps, so the database refuses the second.
CREATE UNIQUE INDEX conversion_applications_one_open
    ON conversion_applications (account_id, programme_code)
    WHERE status = 'pending';

-- Exemptions by programme, for the cohort audit (the unique constraints lead with the account).
CREATE INDEX exemptions_by_programme ON exemptions (programme_code, account_id);
