-- class: rewrite
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
CLUSTER fresh USING fresh_pkey;
