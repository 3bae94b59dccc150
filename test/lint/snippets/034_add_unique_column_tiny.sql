-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD COLUMN c2 text UNIQUE;
