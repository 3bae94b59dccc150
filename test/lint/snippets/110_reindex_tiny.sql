-- class: lock
-- truth: safe
-- expect: none
REINDEX TABLE tiny;
