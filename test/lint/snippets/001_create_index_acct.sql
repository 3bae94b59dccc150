-- class: lock
-- truth: unsafe
-- expect: require-concurrent-index-creation:warning
CREATE INDEX acct_x ON acct (name);
