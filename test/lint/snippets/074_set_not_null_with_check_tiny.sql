-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE tiny ALTER COLUMN n SET NOT NULL;
