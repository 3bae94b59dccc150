-- class: rewrite
-- truth: safe
-- expect: prefer-text-field:warning
ALTER TABLE tiny ALTER COLUMN name TYPE varchar(100);
