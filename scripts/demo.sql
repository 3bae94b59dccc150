-- The demo history: a small task tracker, with a branch, a merge, an
-- irreversible data step avoided, and a non-transactional index build.
\pset footer off
CREATE EXTENSION IF NOT EXISTS pg_schemamig;
CREATE SCHEMA IF NOT EXISTS demo;

\echo '-- registering revisions'
SELECT schemamig.add_revision('demo_0001', 'create tasks',
    'CREATE TABLE demo.tasks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL)',
    'DROP TABLE demo.tasks', '{}');
SELECT schemamig.add_revision('demo_0002', 'add priority to tasks',
    $$ALTER TABLE demo.tasks ADD COLUMN priority text NOT NULL DEFAULT 'medium'$$,
    'ALTER TABLE demo.tasks DROP COLUMN priority');
-- two lines of work branch from demo_0002 ...
SELECT schemamig.add_revision('demo_0003', 'add users',
    'CREATE TABLE demo.users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE)',
    'DROP TABLE demo.users', '{demo_0002}');
SELECT schemamig.add_revision('demo_0004', 'add due dates',
    'ALTER TABLE demo.tasks ADD COLUMN due_at timestamptz',
    'ALTER TABLE demo.tasks DROP COLUMN due_at', '{demo_0002}');
-- ... and are merged again
SELECT schemamig.merge(ARRAY['demo_0003', 'demo_0004'], 'merge users and due dates', 'demo_0005');
SELECT schemamig.add_revision('demo_0006', 'assign tasks to users',
    'ALTER TABLE demo.tasks ADD COLUMN owner_id bigint REFERENCES demo.users',
    'ALTER TABLE demo.tasks DROP COLUMN owner_id');

\echo '-- history (newest first)'
SELECT revision, message FROM schemamig.history();

\echo '-- upgrade to head, all in one transaction'
SELECT revision, direction, message FROM schemamig.upgrade('head');
SELECT revision AS current FROM schemamig.current();

\echo '-- roll back one step, then back to demo_0002 (through the merge), then forward again'
SELECT revision, direction FROM schemamig.downgrade('-1');
SELECT revision, direction FROM schemamig.downgrade('demo_0002');
SELECT revision AS current FROM schemamig.version ORDER BY position;
SELECT revision, direction FROM schemamig.upgrade('head');

\echo '-- a non-transactional revision (CREATE INDEX CONCURRENTLY) runs through plan() and \gexec'
SELECT schemamig.add_revision('demo_0007', 'index task titles concurrently',
    'CREATE INDEX CONCURRENTLY tasks_title ON demo.tasks (title)',
    'DROP INDEX CONCURRENTLY demo.tasks_title', transactional => false);
SELECT statement FROM schemamig.plan('head') \gexec
SELECT revision AS current FROM schemamig.current();

\echo '-- the offline script to go back to demo_0002 (first lines)'
SELECT string_agg(line, E'\n') AS offline_script
  FROM (SELECT line FROM regexp_split_to_table(schemamig.downgrade_sql('demo_0002'), E'\n') AS line
        LIMIT 12) s;

\echo '-- the migration log'
SELECT revision, direction, heads_after FROM schemamig.log ORDER BY id;
