-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD COLUMN z integer DEFAULT 0;
