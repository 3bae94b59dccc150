-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE acct ADD CONSTRAINT acct_pos CHECK (n > 0) NOT VALID;
