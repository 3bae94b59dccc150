-- class: lock
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
CREATE INDEX CONCURRENTLY IF NOT EXISTS fresh_x ON fresh (name);
