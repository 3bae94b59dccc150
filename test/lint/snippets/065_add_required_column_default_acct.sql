-- class: data
-- truth: safe
-- expect: none
ALTER TABLE acct ADD COLUMN r text NOT NULL DEFAULT 'x';
