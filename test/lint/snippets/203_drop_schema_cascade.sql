-- class: destructive
-- truth: unsafe
-- expect: ban-drop-schema:error
DROP SCHEMA legacy CASCADE;
