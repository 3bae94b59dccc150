-- class: lock
-- truth: safe
-- expect: none
REINDEX TABLE empty_t;
