-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD CONSTRAINT empty_t_uq UNIQUE (name);
