-- class: compat
-- truth: unsafe
-- expect: renaming-column:warning
ALTER TABLE acct RENAME COLUMN name TO full_name;
