-- class: destructive
-- truth: unsafe
-- expect: ban-truncate-cascade:error
TRUNCATE tiny CASCADE;
