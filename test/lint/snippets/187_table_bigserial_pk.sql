-- class: types
-- truth: unsafe
-- expect: prefer-identity:warning
CREATE TABLE t1 (id bigserial PRIMARY KEY);
