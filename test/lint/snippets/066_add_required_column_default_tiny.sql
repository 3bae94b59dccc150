-- class: data
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD COLUMN r text NOT NULL DEFAULT 'x';
