-- class: lock
-- truth: unsafe
-- expect: ban-create-domain-with-constraint:warning
CREATE DOMAIN pos2 AS integer CHECK (VALUE > 0);
