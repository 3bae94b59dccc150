-- upgrade() and downgrade(): order, version table, log, all-or-nothing.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
DROP TABLE IF EXISTS tasks;

SELECT schemamig.add_revision('a1', 'create tasks',
    'CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL);',
    'DROP TABLE tasks;', '{}');
SELECT schemamig.add_revision('b2', 'add priority',
    $$ALTER TABLE tasks ADD COLUMN priority text NOT NULL DEFAULT 'medium';
      COMMENT ON COLUMN tasks.priority IS 'low, medium or high';$$,
    'ALTER TABLE tasks DROP COLUMN priority;');
SELECT schemamig.add_revision('c3', 'index titles',
    'CREATE INDEX tasks_title ON tasks (title)',
    'DROP INDEX tasks_title');

-- nothing applied yet
SELECT * FROM schemamig.version;

SELECT revision, direction, message, duration >= '0'::interval AS timed
  FROM schemamig.upgrade('head');
SELECT revision, position FROM schemamig.version;
SELECT revision, direction, heads_before, heads_after, role = current_user AS by_me,
       backend_pid = pg_backend_pid() AS this_backend, checksum IS NOT NULL AS has_checksum
  FROM schemamig.log ORDER BY id;
SELECT column_name, data_type FROM information_schema.columns
 WHERE table_name = 'tasks' ORDER BY ordinal_position;

-- already at head: nothing to do
SELECT count(*) FROM schemamig.upgrade('head');

-- relative downgrade, then to base
SELECT revision, direction FROM schemamig.downgrade('-1');
SELECT revision FROM schemamig.version;
SELECT revision, direction FROM schemamig.downgrade('base');
SELECT count(*) AS version_rows FROM schemamig.version;
SELECT count(*) AS tasks_tables FROM pg_class WHERE relname = 'tasks';

-- upgrade to a named revision, then relative
SELECT revision FROM schemamig.upgrade('a1');
SELECT revision FROM schemamig.upgrade('+1');
SELECT revision FROM schemamig.version;

-- an error inside revision k leaves schema, version and log as before
SELECT schemamig.add_revision('d4', 'bad revision',
    'ALTER TABLE tasks ADD COLUMN done boolean; ALTER TABLE no_such_table ADD COLUMN x int;',
    'ALTER TABLE tasks DROP COLUMN done;');
SELECT count(*) AS log_rows_before FROM schemamig.log \gset
SELECT revision FROM schemamig.upgrade('head');
SELECT revision FROM schemamig.version;
SELECT count(*) = :log_rows_before AS log_unchanged FROM schemamig.log;
SELECT count(*) AS done_columns FROM information_schema.columns
 WHERE table_name = 'tasks' AND column_name = 'done';
-- the SQLSTATE survives
DO $$
BEGIN
    PERFORM schemamig.upgrade('head');
EXCEPTION WHEN undefined_table THEN
    RAISE WARNING 'caught SQLSTATE %', SQLSTATE;
END $$;

-- inside the caller's transaction: a later rollback undoes the migration
BEGIN;
SELECT revision FROM schemamig.upgrade('c3');
ROLLBACK;
SELECT revision FROM schemamig.version;

-- bad targets
SELECT * FROM schemamig.upgrade(NULL);
SELECT * FROM schemamig.upgrade('nosuchrev');
SELECT * FROM schemamig.downgrade('nosuchrev');

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE IF EXISTS tasks;
