SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
-- review(): lint of both directions, reversibility, and data checks that
-- count the live rows a new constraint would reject.  Revisions are
-- inserted directly so that this test depends only on the catalog table.
CREATE TABLE projects (id bigint PRIMARY KEY, name text);
INSERT INTO projects SELECT i, 'p' || i FROM generate_series(1, 5) i;
CREATE TABLE tasks (id bigint PRIMARY KEY, project_id bigint, priority text,
                    code text, estimate integer);
INSERT INTO tasks
  SELECT i,
         CASE WHEN i % 10 = 0 THEN 99 ELSE i % 5 + 1 END,  -- 10 orphans
         CASE WHEN i % 9 = 0 THEN NULL ELSE 'medium' END,  -- 11 NULLs
         'c' || (i % 95),                                   -- 5 duplicated codes
         CASE WHEN i % 25 = 0 THEN -1 ELSE i END            -- 4 negative
  FROM generate_series(1, 100) i;
ANALYZE projects, tasks;
SET schemamig.lock_timeout = '2s';
SET schemamig.statement_timeout = '1min';
CREATE FUNCTION pg_temp.rev(id text, up text, down text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO schemamig.revision (id, upgrade_sql, downgrade_sql, checksum, checksum_algorithm)
  VALUES (id, up, down, schemamig.checksum(up, down), 'test')
$$;

SELECT pg_temp.rev('r1',
$$ALTER TABLE tasks ALTER COLUMN priority SET NOT NULL;
ALTER TABLE tasks ADD CONSTRAINT tasks_project_fk FOREIGN KEY (project_id) REFERENCES projects;
ALTER TABLE tasks ADD CONSTRAINT tasks_code_key UNIQUE (code);
ALTER TABLE tasks ADD CONSTRAINT tasks_estimate_pos CHECK (estimate > 0 OR estimate IS NULL);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS tasks_code_idx ON tasks (code);$$,
$$ALTER TABLE tasks DROP CONSTRAINT tasks_estimate_pos;
ALTER TABLE tasks DROP CONSTRAINT tasks_code_key;
ALTER TABLE tasks ALTER COLUMN priority DROP NOT NULL;$$);
SELECT direction, severity, rule, statement, message FROM schemamig.review('r1');

-- NOT VALID then VALIDATE in the same revision is checked too; a backfill
-- earlier in the same SQL lowers the finding to a warning
SELECT pg_temp.rev('r2',
$$UPDATE tasks SET priority = 'low' WHERE priority IS NULL;
ALTER TABLE tasks ALTER COLUMN priority SET NOT NULL;
ALTER TABLE tasks ADD CONSTRAINT est CHECK (estimate > 0) NOT VALID;
ALTER TABLE tasks VALIDATE CONSTRAINT est;$$, NULL);
SELECT direction, severity, rule, statement, message FROM schemamig.review('r2');

-- clean data: no data findings; safe recipes: no lint findings
SELECT pg_temp.rev('r3',
$$ALTER TABLE projects ADD CONSTRAINT projects_name_nn CHECK (name IS NOT NULL) NOT VALID;$$,
$$ALTER TABLE projects DROP CONSTRAINT projects_name_nn;$$);
SELECT direction, severity, rule, statement, message FROM schemamig.review('r3');
SELECT pg_temp.rev('r4',
$$ALTER TABLE projects ADD CONSTRAINT projects_name_key UNIQUE (name);
ALTER TABLE projects ALTER COLUMN name SET NOT NULL;$$,
$$ALTER TABLE projects DROP CONSTRAINT projects_name_key;
ALTER TABLE projects ALTER COLUMN name DROP NOT NULL;$$);
SELECT direction, severity, rule, statement, message FROM schemamig.review('r4');

-- a downgrade that forgets what the upgrade creates
SELECT pg_temp.rev('r5',
$$CREATE TABLE labels (id bigint PRIMARY KEY, name text);
CREATE INDEX labels_name ON labels (name);
ALTER TABLE tasks ADD COLUMN label_id bigint;
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_label_idx ON tasks (label_id);
CREATE TYPE "Status" AS ENUM ('open', 'done');$$,
$$DROP INDEX tasks_label_idx;
DROP TABLE labels;$$);
SELECT direction, severity, rule, statement, location, message FROM schemamig.review('r5')
  WHERE rule <> 'require-table-schema';

-- a check that cannot run is reported, not raised; nothing is written
SELECT pg_temp.rev('r6',
$$ALTER TABLE tasks ADD CONSTRAINT bad CHECK (no_such_column > 0);
ALTER TABLE tasks ADD CONSTRAINT w CHECK (pg_catalog.setval('s', 1) > 0);$$, '');
CREATE SEQUENCE s;
SELECT direction, severity, rule, statement, message FROM schemamig.review('r6');
SELECT last_value, is_called FROM s;

-- VALIDATE CONSTRAINT of constraints an earlier revision added NOT VALID
ALTER TABLE tasks ADD CONSTRAINT est_nv CHECK (estimate > 0) NOT VALID,
  ADD CONSTRAINT proj_nv FOREIGN KEY (project_id) REFERENCES projects NOT VALID;
SELECT pg_temp.rev('r8',
$$ALTER TABLE tasks VALIDATE CONSTRAINT est_nv;
ALTER TABLE tasks VALIDATE CONSTRAINT proj_nv;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_pkey;$$, '');
SELECT direction, severity, rule, statement, message FROM schemamig.review('r8');

-- errors
SELECT * FROM schemamig.review('nope');
SELECT * FROM schemamig.review(NULL);
-- a syntax error in either direction is a finding
SELECT pg_temp.rev('r7', 'ALTER TABLE tasks ADD COLUM x int', 'SELEC 1');
SELECT direction, severity, rule, statement, message FROM schemamig.review('r7');
DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE tasks, projects;
DROP SEQUENCE s;
