-- class: rewrite
-- truth: unsafe
-- expect: table-rewrite:warning
ALTER TABLE acct SET UNLOGGED;
