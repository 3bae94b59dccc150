-- class: lock
-- truth: unsafe
-- expect: require-concurrent-partition-detach:warning
ALTER TABLE events DETACH PARTITION events_2023;
