-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE empty_t SET UNLOGGED;
