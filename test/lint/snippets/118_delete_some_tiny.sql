-- class: lock
-- truth: safe
-- expect: none
DELETE FROM tiny WHERE n < 0;
