-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE empty_t ALTER COLUMN n SET NOT NULL;
