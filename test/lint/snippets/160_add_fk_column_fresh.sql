-- class: lock
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ADD COLUMN r bigint REFERENCES refd;
