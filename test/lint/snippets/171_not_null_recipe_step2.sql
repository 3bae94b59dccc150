-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE acct VALIDATE CONSTRAINT acct_n_nn;
