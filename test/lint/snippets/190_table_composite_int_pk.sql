-- class: types
-- truth: unsafe
-- expect: prefer-bigint-over-int:warning
CREATE TABLE t1 (a integer, b bigint, PRIMARY KEY (a, b));
