-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD COLUMN c2 text UNIQUE;
