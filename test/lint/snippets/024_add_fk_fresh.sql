-- class: lock
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ADD CONSTRAINT fresh_fk FOREIGN KEY (n) REFERENCES refd (id);
