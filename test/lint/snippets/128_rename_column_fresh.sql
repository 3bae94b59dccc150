-- class: compat
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh RENAME COLUMN name TO full_name;
