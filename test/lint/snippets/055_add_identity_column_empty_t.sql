-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD COLUMN k bigint GENERATED ALWAYS AS IDENTITY;
