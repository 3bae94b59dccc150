-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE empty_t ALTER COLUMN name TYPE text;
