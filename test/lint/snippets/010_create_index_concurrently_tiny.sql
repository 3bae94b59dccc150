-- class: lock
-- truth: safe
-- expect: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS tiny_x ON tiny (name);
