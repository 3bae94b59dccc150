-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny ALTER COLUMN amount TYPE numeric(12,3);
