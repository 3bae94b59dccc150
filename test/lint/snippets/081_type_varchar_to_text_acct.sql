-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE acct ALTER COLUMN name TYPE text;
