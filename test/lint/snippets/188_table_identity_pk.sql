-- class: types
-- truth: safe
-- expect: none
CREATE TABLE t1 (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n integer);
