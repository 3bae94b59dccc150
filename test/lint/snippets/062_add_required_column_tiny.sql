-- class: data
-- truth: unsafe
-- expect: adding-required-field:error
ALTER TABLE tiny ADD COLUMN r text NOT NULL;
