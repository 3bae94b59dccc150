-- class: rewrite
-- truth: safe
-- expect: prefer-text-field:warning
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ALTER COLUMN name TYPE varchar(100);
