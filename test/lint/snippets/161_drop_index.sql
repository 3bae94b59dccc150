-- class: lock
-- truth: unsafe
-- expect: require-concurrent-index-deletion:warning
DROP INDEX acct_email_idx;
