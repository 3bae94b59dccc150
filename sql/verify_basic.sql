-- verify(): a history with deliberate faults, verified on live rows; each
-- fault is reported by name and afterwards nothing has changed.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
DROP TABLE IF EXISTS tasks, audit, archive, labels CASCADE;
DROP SEQUENCE IF EXISTS task_no;
CREATE EXTENSION pg_schemamig;
-- the NOTICEs of upgrade() carry timings


SELECT schemamig.add_revision('a1', 'create tasks',
  'CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL, notes text);',
  'DROP TABLE tasks;', '{}');
SELECT revision FROM schemamig.upgrade('a1');
INSERT INTO tasks SELECT i, 'task ' || i, 'note ' || i FROM generate_series(1, 5) i;

-- nothing between the current state and the target: no rows
SELECT * FROM schemamig.verify();
-- an unknown target is an error
SELECT * FROM schemamig.verify('nosuchrev');

SELECT schemamig.add_revision('b2', 'add priority (good)',
  $$ALTER TABLE tasks ADD COLUMN priority text NOT NULL DEFAULT 'medium';
    COMMENT ON COLUMN tasks.priority IS 'low, medium or high';$$,
  'ALTER TABLE tasks DROP COLUMN priority;');
SELECT schemamig.add_revision('c3', 'sequence left behind',
  $$CREATE SEQUENCE task_no; CREATE TABLE labels (id int DEFAULT nextval('task_no'));$$,
  'DROP TABLE labels;');
SELECT schemamig.add_revision('d4', 'index left behind',
  'CREATE INDEX tasks_title ON tasks (title); CREATE INDEX tasks_priority ON tasks (priority);',
  'DROP INDEX tasks_title;');
SELECT schemamig.add_revision('e5', 'default not restored',
  $$ALTER TABLE tasks ALTER COLUMN priority SET DEFAULT 'low'$$,
  'ALTER TABLE tasks ALTER COLUMN priority DROP DEFAULT');
SELECT schemamig.add_revision('f6', 'not null not restored',
  'ALTER TABLE tasks ALTER COLUMN title DROP NOT NULL',
  'COMMENT ON COLUMN tasks.title IS NULL');
SELECT schemamig.add_revision('g7', 'irreversible', 'CREATE TABLE audit (id int)', NULL);
SELECT schemamig.add_revision('h8', 'downgrade fails on the rows',
  'ALTER TABLE tasks ADD COLUMN estimate int; UPDATE tasks SET estimate = -1 WHERE id = 2;',
  'ALTER TABLE tasks ADD CONSTRAINT estimate_positive CHECK (estimate > 0); ALTER TABLE tasks DROP COLUMN estimate;');
SELECT schemamig.add_revision('i9', 're-upgrade differs',
  $$DO $d$ BEGIN
      IF current_setting('verify_test.ran', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('verify_test.ran', 'yes', false);
        CREATE INDEX tasks_a ON tasks (id);
      ELSE
        CREATE INDEX tasks_b ON tasks (id);
      END IF; END $d$;$$,
  'DROP INDEX IF EXISTS tasks_a; DROP INDEX IF EXISTS tasks_b;');
SELECT schemamig.add_revision('j10', 'drops a column''s data',
  'ALTER TABLE tasks DROP COLUMN notes', 'ALTER TABLE tasks ADD COLUMN notes text');
SELECT schemamig.add_revision('k11', 'drops rows',
  'CREATE TABLE archive AS SELECT * FROM tasks WHERE id > 3; DELETE FROM tasks WHERE id > 3;',
  'DROP TABLE archive');
SELECT schemamig.add_revision('l12', 'data round trip (good)',
  'UPDATE tasks SET title = upper(title)', 'UPDATE tasks SET title = lower(title)');
SELECT schemamig.add_revision('m13', 'concurrent index (good)',
  'CREATE INDEX CONCURRENTLY tasks_prio2 ON tasks (priority)',
  'DROP INDEX CONCURRENTLY tasks_prio2', transactional => false);
SELECT schemamig.add_revision('n14', 'grant and comment left behind',
  $$GRANT SELECT ON tasks TO PUBLIC; COMMENT ON TABLE tasks IS 'to do'; CREATE TYPE mood AS ENUM ('ok');$$,
  'DROP TYPE mood');

-- the state before
SELECT schemamig.fingerprint() AS fp_before \gset
CREATE TEMP TABLE before_rows AS SELECT * FROM tasks;
CREATE TEMP TABLE before_version AS SELECT * FROM schemamig.version;
CREATE TEMP TABLE before_log AS SELECT * FROM schemamig.log;
SELECT (SELECT count(*) FROM schemamig.drift) AS drift_before,
       (SELECT count(*) FROM schemamig.snapshot) AS snapshots_before \gset

SELECT * FROM schemamig.verify();

-- afterwards nothing has changed
SELECT schemamig.fingerprint() = :'fp_before' AS same_schema;
SELECT (SELECT count(*) FROM (SELECT * FROM tasks EXCEPT ALL SELECT * FROM before_rows) a) +
       (SELECT count(*) FROM (SELECT * FROM before_rows EXCEPT ALL SELECT * FROM tasks) b) AS rows_differing,
       (SELECT count(*) FROM tasks) AS task_rows;
SELECT (SELECT array_agg(revision ORDER BY position) FROM schemamig.version) =
       (SELECT array_agg(revision ORDER BY position) FROM before_version) AS same_version;
SELECT (SELECT count(*) FROM (SELECT * FROM schemamig.log EXCEPT ALL SELECT * FROM before_log) x) AS new_log_rows,
       (SELECT count(*) FROM schemamig.drift) - :drift_before AS new_drift_rows,
       (SELECT count(*) FROM schemamig.snapshot) - :snapshots_before AS new_snapshots;
SELECT to_regclass('labels') AS labels, to_regclass('task_no') AS task_no,
       to_regclass('audit') AS audit, to_regtype('mood') AS mood;

-- a target part of the way
SELECT revision, "check", ok FROM schemamig.verify('c3');
-- a relative target
SELECT DISTINCT revision FROM schemamig.verify('+1');

-- several heads: a row names them
SELECT schemamig.add_revision('x1', 'branch', 'CREATE TABLE branchy (id int)',
                              'DROP TABLE branchy', '{a1}');
SELECT revision, "check", ok, detail FROM schemamig.verify('x1');
SELECT revision, "check", ok, detail FROM schemamig.verify('heads') WHERE "check" = 'heads' OR revision = 'x1';
SELECT schemamig.remove_revision('x1');

-- a target below the current state: the downgrade runs on the live rows
-- first, then each revision it reverted is verified upwards
SELECT schemamig.add_revision('p15', 'title optional', 'ALTER TABLE tasks ALTER COLUMN title DROP NOT NULL',
  'ALTER TABLE tasks ALTER COLUMN title SET NOT NULL', '{a1}');
SELECT schemamig.remove_revision(r) FROM unnest(ARRAY['n14','m13','l12','k11','j10','i9','h8','g7','f6','e5','d4','c3','b2']) r;
SELECT revision FROM schemamig.upgrade('p15');
INSERT INTO tasks VALUES (6, NULL, 'written after the upgrade');
SELECT * FROM schemamig.verify('a1');
SELECT count(*) AS untitled FROM tasks WHERE title IS NULL;
DELETE FROM tasks WHERE id = 6;
SELECT revision, "check", ok FROM schemamig.verify('base') ORDER BY 1, 2;
SELECT count(*) AS tasks_rows FROM tasks;

-- verify runs revisions: not for PUBLIC; refused inside a revision
CREATE ROLE verify_nobody;
SET ROLE verify_nobody;
SELECT * FROM schemamig.verify();
RESET ROLE;
DROP ROLE verify_nobody;
SELECT schemamig.add_revision('q16', 'nested', 'SELECT * FROM schemamig.verify()', 'SELECT 1');
SELECT revision, "check", ok, detail FROM schemamig.verify('q16');
SELECT * FROM schemamig.verify(NULL);

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE IF EXISTS tasks;
