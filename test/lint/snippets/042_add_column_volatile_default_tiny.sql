-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD COLUMN u uuid DEFAULT gen_random_uuid();
