-- class: data
-- truth: unsafe
-- expect: adding-required-field:error
ALTER TABLE acct ADD COLUMN r text NOT NULL;
