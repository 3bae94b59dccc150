-- class: types
-- truth: unsafe
-- expect: prefer-bigint-over-int:warning
CREATE TABLE t1 (id integer PRIMARY KEY, n integer);
