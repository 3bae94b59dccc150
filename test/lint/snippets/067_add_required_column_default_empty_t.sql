-- class: data
-- truth: safe
-- expect: none
ALTER TABLE empty_t ADD COLUMN r text NOT NULL DEFAULT 'x';
