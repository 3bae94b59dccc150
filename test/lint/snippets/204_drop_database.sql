-- class: destructive
-- truth: unsafe
-- expect: ban-drop-database:error
DROP DATABASE legacy;
