-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE nopk_empty ADD PRIMARY KEY (id);
