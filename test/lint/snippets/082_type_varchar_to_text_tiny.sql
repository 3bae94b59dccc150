-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny ALTER COLUMN name TYPE text;
