-- class: lock
-- truth: unsafe
-- expect: require-concurrent-index-deletion:warning
DROP INDEX tiny_email_idx;
