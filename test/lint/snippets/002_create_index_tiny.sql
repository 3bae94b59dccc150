-- class: lock
-- truth: safe
-- expect: none
CREATE INDEX tiny_x ON tiny (name);
