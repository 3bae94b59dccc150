-- class: lock
-- truth: safe
-- expect: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS empty_t_x ON empty_t (name);
