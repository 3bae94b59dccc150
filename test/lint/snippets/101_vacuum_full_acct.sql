-- class: rewrite
-- truth: unsafe
-- expect: prefer-repack:warning
VACUUM FULL acct;
