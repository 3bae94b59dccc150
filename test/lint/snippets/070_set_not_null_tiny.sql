-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE tiny ALTER COLUMN email SET NOT NULL;
