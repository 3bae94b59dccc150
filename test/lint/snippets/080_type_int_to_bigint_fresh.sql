-- class: rewrite
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ALTER COLUMN n TYPE bigint;
