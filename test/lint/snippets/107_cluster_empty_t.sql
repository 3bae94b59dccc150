-- class: rewrite
-- truth: safe
-- expect: none
CLUSTER empty_t USING empty_t_pkey;
