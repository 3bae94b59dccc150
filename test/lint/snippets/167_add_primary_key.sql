-- class: lock
-- truth: unsafe
-- expect: adding-serial-primary-key-field:warning
ALTER TABLE nopk ADD PRIMARY KEY (id);
