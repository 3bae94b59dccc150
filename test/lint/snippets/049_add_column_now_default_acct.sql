-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE acct ADD COLUMN t timestamptz DEFAULT now();
