-- class: rewrite
-- truth: safe
-- expect: none
VACUUM acct;
