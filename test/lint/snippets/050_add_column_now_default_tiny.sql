-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD COLUMN t timestamptz DEFAULT now();
