-- class: compat
-- truth: unsafe
-- expect: ban-drop-column:warning
ALTER TABLE tiny DROP COLUMN name;
