-- dry_run(): the statements of a migration, run and rolled back, with the
-- locks each one took, the tables it rewrote and the rows it touched.
-- (duration is a timing: never selected.)
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
DROP TABLE IF EXISTS tasks CASCADE;
CREATE EXTENSION pg_schemamig;

SELECT schemamig.add_revision('a1', 'create tasks',
  'CREATE TABLE tasks (id bigint PRIMARY KEY, title varchar(100) NOT NULL, estimate int);',
  'DROP TABLE tasks;', '{}');
SELECT revision FROM schemamig.upgrade('a1');
INSERT INTO tasks SELECT i, 'task ' || i, i FROM generate_series(1, 7) i;
SELECT schemamig.add_revision('b2', 'priority, index, backfill',
  $$ALTER TABLE tasks ADD COLUMN priority text;
    CREATE INDEX tasks_title ON tasks (title);
    UPDATE tasks SET priority = 'high' WHERE id <= 3;
    ALTER TABLE tasks ALTER COLUMN estimate TYPE bigint;
    ALTER TABLE tasks ALTER COLUMN title TYPE varchar(200);$$,
  $$ALTER TABLE tasks ALTER COLUMN estimate TYPE int;
    DROP INDEX tasks_title;
    ALTER TABLE tasks DROP COLUMN priority;$$);
SELECT schemamig.add_revision('c3', 'concurrent index',
  'CREATE INDEX CONCURRENTLY tasks_estimate ON tasks (estimate)',
  'DROP INDEX CONCURRENTLY tasks_estimate', transactional => false);

SELECT schemamig.fingerprint() AS fp_before \gset
SELECT revision, direction, statement_no, statement, locks, rewrites, rows,
       duration >= '0' AS timed
  FROM schemamig.dry_run();
-- nothing was left: schema, rows, version, log, locks
SELECT schemamig.fingerprint() = :'fp_before' AS same_schema;
SELECT count(*) AS high FROM tasks WHERE title IS NULL;
SELECT revision FROM schemamig.version;
SELECT count(*) AS log_rows FROM schemamig.log;
SELECT count(*) AS relation_locks FROM pg_locks
 WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation = 'tasks'::regclass;

-- a downgrade target: the downgrade's statements
SELECT revision FROM schemamig.upgrade('b2');
SELECT revision, direction, statement_no, locks, rewrites, rows
  FROM schemamig.dry_run('a1');
SELECT revision FROM schemamig.version;
SELECT column_name FROM information_schema.columns WHERE table_name = 'tasks' ORDER BY ordinal_position;

-- a failing statement raises its own error, with the revision as context
SELECT schemamig.add_revision('d4', 'fails on the rows',
  'ALTER TABLE tasks ADD COLUMN flag int; ALTER TABLE tasks ALTER COLUMN priority SET NOT NULL;',
  'ALTER TABLE tasks DROP COLUMN flag');
SELECT revision, statement_no FROM schemamig.dry_run('d4');
SET client_min_messages = notice;
DO $$
BEGIN
  PERFORM * FROM schemamig.dry_run('d4');
EXCEPTION WHEN not_null_violation THEN
  RAISE NOTICE 'caught not_null_violation: %', SQLERRM;
END $$;
SET client_min_messages = warning;
SELECT count(*) AS flag_columns FROM information_schema.columns WHERE column_name = 'flag';

-- a path through an irreversible revision is refused by name before anything runs
SELECT schemamig.add_revision('e5', 'one way', 'CREATE TABLE one_way (id int)', NULL, '{b2}');
SELECT revision FROM schemamig.upgrade('e5');
SELECT * FROM schemamig.dry_run('a1');
SELECT count(*) AS one_way FROM pg_class WHERE relname = 'one_way';

-- nothing to do: no rows; unknown target: an error; not for PUBLIC
SELECT count(*) FROM schemamig.dry_run('e5');
SELECT * FROM schemamig.dry_run('nosuchrev');
CREATE ROLE dry_nobody;
SET ROLE dry_nobody;
SELECT * FROM schemamig.dry_run();
RESET ROLE;
DROP ROLE dry_nobody;

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE IF EXISTS tasks, one_way;
