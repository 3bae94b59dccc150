-- class: compat
-- truth: unsafe
-- expect: ban-drop-column:warning
ALTER TABLE acct DROP COLUMN name;
