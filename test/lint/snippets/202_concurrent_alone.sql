-- class: txn
-- truth: safe
-- expect: none
CREATE INDEX CONCURRENTLY acct_c ON acct (code);
