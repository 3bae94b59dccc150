-- class: lock
-- truth: safe
-- expect: none
DROP INDEX empty_t_email_idx;
