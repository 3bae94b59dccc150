-- class: lock
-- truth: unsafe
-- expect: backfilling-data:warning
DELETE FROM acct WHERE n < 0;
