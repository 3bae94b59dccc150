-- class: types
-- truth: unsafe
-- expect: prefer-bigint-over-smallint:warning
CREATE TABLE t1 (id smallint PRIMARY KEY);
