-- class: lock
-- truth: safe
-- expect: none
DELETE FROM empty_t WHERE n < 0;
