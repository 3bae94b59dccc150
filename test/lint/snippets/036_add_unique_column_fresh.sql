-- class: lock
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ADD COLUMN c2 text UNIQUE;
