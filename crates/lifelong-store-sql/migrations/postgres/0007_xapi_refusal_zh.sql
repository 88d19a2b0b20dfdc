-- A refused xAPI request's message in Chinese as well, so the institution console reads it in
-- the page's language. Refusals kept before this column existed have only the English text.
ALTER TABLE xapi_refusals ADD COLUMN message_zh TEXT NOT NULL DEFAULT '';
