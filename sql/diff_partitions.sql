-- diff() on partitioned tables: partitioned indexes and keys attached to
-- the partitions' own indexes (created as pg_dump does: ON ONLY, then
-- ALTER INDEX ... ATTACH PARTITION), a partition's own NOT NULL, partitions
-- of a referenced table, inheritance.  Each case shows its steps and checks
-- the exact round trip.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

\i sql/include/diff_rt.sql

-- live(ddl): the schema pt holds exactly ddl
CREATE FUNCTION pg_temp.live(ddl text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  SET LOCAL client_min_messages = warning;
  DROP SCHEMA IF EXISTS pt CASCADE;
  CREATE SCHEMA pt;
  PERFORM set_config('search_path', 'pt', false);
  EXECUTE ddl;
END $$;

\echo == a partitioned primary key over the own keys of the partitions (attached, names kept)
SELECT pg_temp.live($$CREATE TABLE m (id int NOT NULL, at int NOT NULL) PARTITION BY LIST (at);
  CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); ALTER TABLE m1 ADD CONSTRAINT m1_own PRIMARY KEY (at, id);
  CREATE TABLE m2 PARTITION OF m FOR VALUES IN (2);$$);
\set desired 'CREATE TABLE m (id int NOT NULL, at int NOT NULL) PARTITION BY LIST (at); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); ALTER TABLE m1 ADD CONSTRAINT m1_own PRIMARY KEY (at, id); CREATE TABLE m2 PARTITION OF m FOR VALUES IN (2); ALTER TABLE m2 ADD CONSTRAINT m2_key PRIMARY KEY (at, id); ALTER TABLE m ADD PRIMARY KEY (at, id);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');

\echo == a partitioned index: a matching partition index attached, a missing one created under its desired name
SELECT pg_temp.live($$CREATE TABLE m (id int, at int) PARTITION BY LIST (at);
  CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); CREATE INDEX m1_local ON m1 (id);
  CREATE TABLE m2 PARTITION OF m FOR VALUES IN (2);$$);
\set desired 'CREATE TABLE m (id int, at int) PARTITION BY LIST (at); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); CREATE INDEX m1_local ON m1 (id); CREATE TABLE m2 PARTITION OF m FOR VALUES IN (2); CREATE INDEX m2_named ON m2 (id); CREATE INDEX m_id ON m (id);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');

\echo == an invalid parent index (ON ONLY) gets an unattached partition index attached in place
SELECT pg_temp.live($$CREATE TABLE m (id int, at int) PARTITION BY LIST (at);
  CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); CREATE TABLE m2 PARTITION OF m FOR VALUES IN (2);
  CREATE INDEX m_id ON ONLY m (id); CREATE INDEX m1_id ON m1 (id); ALTER INDEX m_id ATTACH PARTITION m1_id;
  CREATE INDEX m2_id ON m2 (id);$$);
SELECT indisvalid AS parent_valid_before FROM pg_index WHERE indexrelid = 'pt.m_id'::regclass;
\set desired 'CREATE TABLE m (id int, at int) PARTITION BY LIST (at); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); CREATE TABLE m2 PARTITION OF m FOR VALUES IN (2); CREATE INDEX m_id ON ONLY m (id); CREATE INDEX m1_id ON m1 (id); ALTER INDEX m_id ATTACH PARTITION m1_id; CREATE INDEX m2_id ON m2 (id); ALTER INDEX m_id ATTACH PARTITION m2_id;'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');

\echo == the own primary key of a partition: the NOT NULL of its columns goes with it
SELECT pg_temp.live($$CREATE TABLE m (id int, at int) PARTITION BY LIST (at);
  CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);$$);
\set desired 'CREATE TABLE m (id int, at int) PARTITION BY LIST (at); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); ALTER TABLE m1 ADD PRIMARY KEY (id, at);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');

\echo == a plain parent index with the own key of a partition attached, replaced by a parent key
SELECT pg_temp.live($$CREATE TABLE m (id int NOT NULL, at int NOT NULL) PARTITION BY LIST (at);
  CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); ALTER TABLE m1 ADD CONSTRAINT m1_pkey PRIMARY KEY (at, id);
  CREATE UNIQUE INDEX m_u ON ONLY m (at, id); ALTER INDEX m_u ATTACH PARTITION m1_pkey;$$);
\set desired 'CREATE TABLE m (id int NOT NULL, at int NOT NULL) PARTITION BY LIST (at); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); ALTER TABLE m ADD CONSTRAINT m_u UNIQUE (at, id);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');

\echo == a new partition whose own primary key backs the unique index of the parent: that index rebuilt around it
SELECT pg_temp.live($$CREATE TABLE m (id int, at int) PARTITION BY LIST (at);
  CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); CREATE UNIQUE INDEX m_u ON m (at, id);
  INSERT INTO m VALUES (1, 1), (2, 1);$$);
\set desired 'CREATE TABLE m (id int, at int) PARTITION BY LIST (at); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); CREATE TABLE m2 PARTITION OF m (PRIMARY KEY (at, id)) FOR VALUES IN (2); CREATE UNIQUE INDEX m_u ON m (at, id);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');
SELECT count(*) AS rows_kept FROM pt.m;

\echo == a new partition of a table a foreign key references: detached before it is dropped
SELECT pg_temp.live($$CREATE TABLE m (id int, at int, PRIMARY KEY (at, id)) PARTITION BY LIST (at);
  CREATE TABLE r (at int, m_id int, FOREIGN KEY (at, m_id) REFERENCES m (at, id));$$);
\set desired 'CREATE TABLE m (id int, at int, PRIMARY KEY (at, id)) PARTITION BY LIST (at); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1); CREATE TABLE r (at int, m_id int, FOREIGN KEY (at, m_id) REFERENCES m (at, id));'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');

\echo == a partitioned CHECK made NOT VALID again is validated again on the partitions that had it valid
SELECT pg_temp.live($$CREATE TABLE m (id int, at int) PARTITION BY LIST (at);
  CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);
  ALTER TABLE m ADD CONSTRAINT positive CHECK (id > 0) NOT VALID; ALTER TABLE m1 VALIDATE CONSTRAINT positive;$$);
\set desired 'CREATE TABLE m (id int, at int) PARTITION BY LIST (at); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');

\echo == inheritance: the column of the parent dropped, the child keeps it as its own
SELECT pg_temp.live($$CREATE TABLE base (at timestamp, e int); CREATE TABLE child (c int) INHERITS (base);$$);
\set desired 'CREATE TABLE base (at timestamp); CREATE TABLE child (c int, e int) INHERITS (base);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');

\echo == a table attached as a partition keeps its matching local index unattached, as desired
SELECT pg_temp.live($$CREATE TABLE m (id int, at int, note text) PARTITION BY LIST (at);
  CREATE INDEX m_at ON m (at, note);
  CREATE TABLE m1 (id int, at int, note text); CREATE INDEX m1_local ON m1 (at, note);
  INSERT INTO m1 VALUES (1, 1, 'a'), (2, 1, 'b');$$);
\set desired 'CREATE TABLE m (id int, at int, note text) PARTITION BY LIST (at); CREATE TABLE m1 (id int, at int, note text); ALTER TABLE m ATTACH PARTITION m1 FOR VALUES IN (1); CREATE INDEX m_at ON m (at, note); CREATE INDEX m1_local ON m1 (at, note);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');
SELECT count(*) AS rows_kept FROM pt.m1;

\echo == a plain table made partitioned over a table that stays: its serial column takes the default of the parent
SELECT pg_temp.live($$CREATE TABLE m (id serial, at int); CREATE INDEX m_id ON m (id);
  CREATE TABLE m1 (id serial, at int); INSERT INTO m1 (at) VALUES (1), (1);$$);
\set desired 'CREATE TABLE m (id serial, at int) PARTITION BY LIST (at); CREATE INDEX m_id ON m (id); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);'
SELECT upgrade, downgrade FROM schemamig.diff(:'desired', 'pt') ORDER BY step;
SELECT pg_temp.rt('pt', :'desired');
SELECT count(*) AS rows_kept FROM pt.m1;

-- leave nothing for the tests that follow
SET client_min_messages = warning;
DROP SCHEMA pt CASCADE;
RESET client_min_messages;
