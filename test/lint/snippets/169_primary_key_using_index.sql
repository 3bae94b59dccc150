-- class: lock
-- truth: safe
-- expect: none
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS nopk_id_uidx ON nopk (id);
ALTER TABLE nopk ADD CONSTRAINT nopk_pkey PRIMARY KEY USING INDEX nopk_id_uidx;
