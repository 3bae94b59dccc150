-- class: rewrite
-- truth: unsafe
-- expect: adding-field-with-default:warning
ALTER TABLE acct ADD COLUMN r float8 DEFAULT random();
