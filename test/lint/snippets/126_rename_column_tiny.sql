-- class: compat
-- truth: unsafe
-- expect: renaming-column:warning
ALTER TABLE tiny RENAME COLUMN name TO full_name;
