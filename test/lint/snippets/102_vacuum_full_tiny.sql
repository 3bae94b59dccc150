-- class: rewrite
-- truth: safe
-- expect: none
VACUUM FULL tiny;
