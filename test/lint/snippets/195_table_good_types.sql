-- class: types
-- truth: safe
-- expect: none
CREATE TABLE t1 (id bigint PRIMARY KEY, a text, b timestamptz, c jsonb, d varchar, e numeric);
