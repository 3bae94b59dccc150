-- class: txn
-- truth: unsafe
-- expect: ban-concurrent-index-creation-in-transaction:error transaction-nesting:error transaction-nesting:error
BEGIN;
CREATE INDEX CONCURRENTLY IF NOT EXISTS acct_c ON acct (code);
COMMIT;
