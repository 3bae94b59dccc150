-- class: rewrite
-- truth: safe
-- expect: prefer-text-field:warning
ALTER TABLE acct ALTER COLUMN name TYPE varchar(100);
