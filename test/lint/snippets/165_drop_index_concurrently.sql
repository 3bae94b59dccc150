-- class: lock
-- truth: safe
-- expect: none
DROP INDEX CONCURRENTLY IF EXISTS acct_email_idx;
