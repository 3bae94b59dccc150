-- class: compat
-- truth: unsafe
-- expect: renaming-column:warning
ALTER TABLE empty_t RENAME COLUMN name TO full_name;
