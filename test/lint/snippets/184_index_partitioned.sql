-- class: lock
-- truth: unsafe
-- expect: require-concurrent-index-creation:warning
CREATE INDEX events_v ON events (v);
