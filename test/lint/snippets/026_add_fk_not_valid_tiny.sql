-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD CONSTRAINT tiny_fk FOREIGN KEY (n) REFERENCES refd (id) NOT VALID;
