-- class: destructive
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
TRUNCATE fresh;
