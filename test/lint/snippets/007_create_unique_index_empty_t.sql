-- class: lock
-- truth: safe
-- expect: none
CREATE UNIQUE INDEX empty_t_x ON empty_t (name);
