-- class: types
-- truth: unsafe
-- expect: prefer-jsonb:warning
ALTER TABLE acct ADD COLUMN j json;
