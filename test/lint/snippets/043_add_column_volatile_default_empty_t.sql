-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD COLUMN u uuid DEFAULT gen_random_uuid();
