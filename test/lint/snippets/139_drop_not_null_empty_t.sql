-- class: compat
-- truth: unsafe
-- expect: ban-drop-not-null:warning
ALTER TABLE empty_t ALTER COLUMN code DROP NOT NULL;
