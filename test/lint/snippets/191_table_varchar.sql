-- class: types
-- truth: unsafe
-- expect: prefer-text-field:warning
CREATE TABLE t1 (id bigint PRIMARY KEY, a varchar(20));
