-- class: compat
-- truth: safe
-- expect: none
ALTER TABLE tiny DROP CONSTRAINT acct_n_nn;
