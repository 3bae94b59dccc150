-- class: lock
-- truth: unsafe
-- expect: require-concurrent-reindex:warning
REINDEX TABLE acct;
