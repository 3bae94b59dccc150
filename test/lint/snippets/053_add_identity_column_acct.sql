-- class: rewrite
-- truth: unsafe
-- expect: adding-field-with-default:warning
ALTER TABLE acct ADD COLUMN k bigint GENERATED ALWAYS AS IDENTITY;
