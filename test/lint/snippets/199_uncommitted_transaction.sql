-- class: txn
-- truth: unsafe
-- expect: ban-uncommitted-transaction:warning transaction-nesting:error
BEGIN;
ALTER TABLE empty_t ADD COLUMN x text;
