-- class: rewrite
-- truth: unsafe
-- expect: changing-column-type:warning
ALTER TABLE acct ALTER COLUMN n TYPE bigint;
