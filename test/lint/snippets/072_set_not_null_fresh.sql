-- class: lock
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ALTER COLUMN email SET NOT NULL;
