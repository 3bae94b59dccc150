-- class: rewrite
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
VACUUM FULL fresh;
