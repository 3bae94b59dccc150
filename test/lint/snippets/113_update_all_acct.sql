-- class: lock
-- truth: unsafe
-- expect: backfilling-data:warning
UPDATE acct SET n = n + 1;
