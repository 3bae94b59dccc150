-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD COLUMN g integer GENERATED ALWAYS AS (n * 2) STORED;
