-- class: types
-- truth: unsafe
-- expect: ban-char-field:warning
CREATE TABLE t1 (id bigint PRIMARY KEY, a char(3));
