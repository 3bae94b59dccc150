-- class: rewrite
-- truth: safe
-- expect: none
ALTER TABLE tiny SET UNLOGGED;
