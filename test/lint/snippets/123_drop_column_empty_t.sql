-- class: compat
-- truth: unsafe
-- expect: ban-drop-column:warning
ALTER TABLE empty_t DROP COLUMN name;
