-- class: lock
-- truth: unsafe
-- expect: require-concurrent-index-creation:warning
CREATE UNIQUE INDEX acct_x ON acct (name);
