-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE tiny ADD CONSTRAINT tiny_ex EXCLUDE USING btree (n WITH =);
