-- class: compat
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh DROP CONSTRAINT acct_n_nn;
