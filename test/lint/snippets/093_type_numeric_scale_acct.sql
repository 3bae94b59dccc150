-- class: rewrite
-- truth: unsafe
-- expect: changing-column-type:warning
ALTER TABLE acct ALTER COLUMN amount TYPE numeric(12,3);
