-- class: lock
-- truth: unsafe
-- expect: constraint-missing-not-valid:warning
ALTER TABLE acct ADD CONSTRAINT acct_pos CHECK (n > 0);
