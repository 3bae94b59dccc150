-- class: compat
-- truth: unsafe
-- expect: ban-drop-not-null:warning
ALTER TABLE tiny ALTER COLUMN code DROP NOT NULL;
