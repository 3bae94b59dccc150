-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD CONSTRAINT tiny_pos CHECK (n > 0);
