-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD COLUMN z integer DEFAULT 0;
