-- class: destructive
-- truth: unsafe
-- expect: ban-truncate:warning
TRUNCATE acct;
