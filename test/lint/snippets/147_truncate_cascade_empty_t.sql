-- class: destructive
-- truth: unsafe
-- expect: ban-truncate-cascade:error
TRUNCATE empty_t CASCADE;
