-- class: lock
-- truth: unsafe
-- expect: disallowed-unique-constraint:warning
ALTER TABLE acct ADD COLUMN c2 text UNIQUE;
