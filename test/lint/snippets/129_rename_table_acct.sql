-- class: compat
-- truth: unsafe
-- expect: renaming-table:warning
ALTER TABLE acct RENAME TO acct_old;
