-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD COLUMN t timestamptz DEFAULT now();
