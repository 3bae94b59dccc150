-- class: rewrite
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ADD COLUMN k bigint GENERATED ALWAYS AS IDENTITY;
