-- class: other
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ENABLE ROW LEVEL SECURITY;
