-- class: destructive
-- truth: unsafe
-- expect: ban-drop-table:warning
DROP TABLE tiny CASCADE;
