-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD COLUMN r bigint REFERENCES refd;
