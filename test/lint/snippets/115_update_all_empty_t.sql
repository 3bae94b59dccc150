-- class: lock
-- truth: safe
-- expect: none
UPDATE empty_t SET n = n + 1;
