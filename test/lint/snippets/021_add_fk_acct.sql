-- class: lock
-- truth: unsafe
-- expect: adding-foreign-key-constraint:warning
ALTER TABLE acct ADD CONSTRAINT acct_fk FOREIGN KEY (n) REFERENCES refd (id);
