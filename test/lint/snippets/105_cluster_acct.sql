-- class: rewrite
-- truth: unsafe
-- expect: prefer-repack:warning
CLUSTER acct USING acct_pkey;
