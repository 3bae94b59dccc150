-- class: lock
-- truth: unsafe
-- expect: ban-alter-domain-with-add-constraint:warning
ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0);
