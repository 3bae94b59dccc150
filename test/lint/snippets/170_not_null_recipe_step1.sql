-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE acct ADD CONSTRAINT acct_email_nn CHECK (email IS NOT NULL) NOT VALID;
