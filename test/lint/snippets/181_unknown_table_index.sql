-- class: lock
-- truth: unsafe
-- expect: require-concurrent-index-creation:warning
CREATE INDEX nosuch_i ON nosuch (a);
