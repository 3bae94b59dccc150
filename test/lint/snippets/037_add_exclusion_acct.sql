-- class: lock
-- truth: unsafe
-- expect: adding-exclusion-constraint:warning
ALTER TABLE acct ADD CONSTRAINT acct_ex EXCLUDE USING btree (n WITH =);
