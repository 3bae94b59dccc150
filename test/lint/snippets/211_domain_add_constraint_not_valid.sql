-- class: lock
-- truth: safe
-- expect: none
ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0) NOT VALID;
