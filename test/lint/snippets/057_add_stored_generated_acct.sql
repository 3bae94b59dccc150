-- class: rewrite
-- truth: unsafe
-- expect: adding-field-with-default:warning
ALTER TABLE acct ADD COLUMN g integer GENERATED ALWAYS AS (n * 2) STORED;
