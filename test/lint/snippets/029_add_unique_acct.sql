-- class: lock
-- truth: unsafe
-- expect: disallowed-unique-constraint:warning
ALTER TABLE acct ADD CONSTRAINT acct_uq UNIQUE (name);
