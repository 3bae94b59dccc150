-- class: compat
-- truth: safe
-- expect: none
ALTER TABLE acct DROP CONSTRAINT acct_n_nn;
