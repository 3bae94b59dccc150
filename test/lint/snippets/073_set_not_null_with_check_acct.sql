-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE acct ALTER COLUMN n SET NOT NULL;
