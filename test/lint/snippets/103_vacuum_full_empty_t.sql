-- class: rewrite
-- truth: safe
-- expect: none
VACUUM FULL empty_t;
