-- class: other
-- truth: safe
-- expect: none
CREATE VIEW acct_emails AS SELECT email FROM acct;
