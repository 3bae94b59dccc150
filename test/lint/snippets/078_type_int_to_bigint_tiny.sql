-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny ALTER COLUMN n TYPE bigint;
