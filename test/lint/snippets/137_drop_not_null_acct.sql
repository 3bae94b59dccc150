-- class: compat
-- truth: unsafe
-- expect: ban-drop-not-null:warning
ALTER TABLE acct ALTER COLUMN code DROP NOT NULL;
