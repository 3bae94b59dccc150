-- class: lock
-- truth: unsafe
-- expect: constraint-missing-not-valid:warning
ALTER TABLE acct ADD CONSTRAINT acct_email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE acct VALIDATE CONSTRAINT acct_email_nn;
ALTER TABLE acct ALTER COLUMN email SET NOT NULL;
