-- class: compat
-- truth: unsafe
-- expect: renaming-table:warning
ALTER TABLE empty_t RENAME TO empty_t_old;
