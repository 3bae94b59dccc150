-- class: lock
-- truth: safe
-- expect: none
CREATE UNIQUE INDEX tiny_x ON tiny (name);
