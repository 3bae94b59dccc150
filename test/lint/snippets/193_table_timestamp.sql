-- class: types
-- truth: unsafe
-- expect: prefer-timestamptz:warning
CREATE TABLE t1 (id bigint PRIMARY KEY, a timestamp);
