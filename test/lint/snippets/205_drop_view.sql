-- class: compat
-- truth: unsafe
-- expect: none
DROP VIEW acct_v;
