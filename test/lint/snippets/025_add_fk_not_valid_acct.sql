-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE acct ADD CONSTRAINT acct_fk FOREIGN KEY (n) REFERENCES refd (id) NOT VALID;
