-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE acct ALTER COLUMN amount TYPE numeric(12,2);
