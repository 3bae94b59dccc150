-- class: lock
-- truth: safe
-- expect: none
CREATE TABLE fresh (LIKE acct INCLUDING ALL);
ALTER TABLE fresh ADD CONSTRAINT fresh_ex EXCLUDE USING btree (n WITH =);
