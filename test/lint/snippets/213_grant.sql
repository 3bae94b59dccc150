-- class: other
-- truth: safe
-- expect: none
GRANT SELECT ON acct TO PUBLIC;
