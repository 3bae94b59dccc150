-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD COLUMN g integer GENERATED ALWAYS AS (n * 2) STORED;
