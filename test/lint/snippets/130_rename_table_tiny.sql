-- class: compat
-- truth: unsafe
-- expect: renaming-table:warning
ALTER TABLE tiny RENAME TO tiny_old;
