-- class: destructive
-- truth: safe
-- expect: none
TRUNCATE empty_t;
