-- class: rewrite
-- truth: safe
-- expect: prefer-text-field:warning
ALTER TABLE empty_t ALTER COLUMN name TYPE varchar(100);
