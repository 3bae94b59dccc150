-- class: lock
-- truth: safe
-- expect: none
CREATE INDEX empty_t_x ON empty_t (name);
