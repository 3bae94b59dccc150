-- class: lock
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
CREATE INDEX fresh_e ON fresh (email);
DROP INDEX fresh_e;
