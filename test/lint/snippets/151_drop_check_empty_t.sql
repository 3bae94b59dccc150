-- class: compat
-- truth: safe
-- expect: none
ALTER TABLE empty_t DROP CONSTRAINT acct_n_nn;
