-- class: rewrite
-- truth: unsafe
-- expect: adding-field-with-default:warning prefer-identity:warning
ALTER TABLE acct ADD COLUMN s bigserial;
