-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD COLUMN k bigint GENERATED ALWAYS AS IDENTITY;
