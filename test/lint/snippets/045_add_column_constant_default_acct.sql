-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE acct ADD COLUMN z integer DEFAULT 0;
