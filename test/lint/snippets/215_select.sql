-- class: other
-- truth: safe
-- expect: none
SELECT count(*) FROM acct;
