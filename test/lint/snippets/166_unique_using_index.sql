-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE acct ADD CONSTRAINT acct_email_key UNIQUE USING INDEX acct_email_uidx;
