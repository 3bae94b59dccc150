-- class: lock
-- truth: safe
-- expect: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS acct_x ON acct (name);
