-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE empty_t ALTER COLUMN amount TYPE numeric(12,3);
