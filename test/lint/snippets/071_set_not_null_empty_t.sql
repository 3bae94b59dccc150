-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE empty_t ALTER COLUMN email SET NOT NULL;
