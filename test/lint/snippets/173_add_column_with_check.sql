-- class: lock
-- truth: unsafe
-- expect: constraint-missing-not-valid:warning
ALTER TABLE acct ADD COLUMN c integer CHECK (c > 0);
