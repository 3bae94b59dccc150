-- class: lock
-- truth: safe
-- expect: none
SET lock_timeout = '2s';
ALTER TABLE acct ADD COLUMN x text;
