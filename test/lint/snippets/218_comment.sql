-- class: other
-- truth: safe
-- expect: none
COMMENT ON TABLE acct IS 'accounts';
