-- class: other
-- truth: safe
-- expect: none
ALTER TABLE acct ENABLE ROW LEVEL SECURITY;
