-- class: rewrite
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ADD COLUMN g integer GENERATED ALWAYS AS (n * 2) STORED;
