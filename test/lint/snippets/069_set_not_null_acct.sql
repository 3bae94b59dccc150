-- class: lock
-- truth: unsafe
-- expect: adding-not-nullable-field:warning
ALTER TABLE acct ALTER COLUMN email SET NOT NULL;
