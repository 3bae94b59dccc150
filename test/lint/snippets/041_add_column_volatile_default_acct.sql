-- class: rewrite
-- truth: unsafe
-- expect: adding-field-with-default:warning
ALTER TABLE acct ADD COLUMN u uuid DEFAULT gen_random_uuid();
