-- class: types
-- truth: unsafe
-- expect: prefer-bigint-over-int:warning prefer-identity:warning
CREATE TABLE t1 (id serial PRIMARY KEY);
