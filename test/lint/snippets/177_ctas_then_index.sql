-- class: lock
-- truth: safe
-- expect: none
CREATE TABLE acct_copy AS SELECT * FROM acct;
CREATE INDEX ON acct_copy (email);
