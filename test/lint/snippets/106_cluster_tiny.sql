-- class: rewrite
-- truth: safe
-- expect: none
CLUSTER tiny USING tiny_pkey;
