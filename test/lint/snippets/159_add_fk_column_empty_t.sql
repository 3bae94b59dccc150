-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD COLUMN r bigint REFERENCES refd;
