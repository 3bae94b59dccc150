-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE acct ADD COLUMN s text DEFAULT lower('X');
