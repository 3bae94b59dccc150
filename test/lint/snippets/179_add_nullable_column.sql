-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE acct ADD COLUMN x text;
