-- class: destructive
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
DROP TABLE fresh CASCADE;
