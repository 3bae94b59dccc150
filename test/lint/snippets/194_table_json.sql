-- class: types
-- truth: unsafe
-- expect: prefer-jsonb:warning
CREATE TABLE t1 (id bigint PRIMARY KEY, a json);
