-- class: lock
-- truth: safe
-- expect: none
UPDATE tiny SET n = n + 1;
