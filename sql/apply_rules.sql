-- Application rules: irreversible revisions, non-transactional revisions,
-- transaction control, timeouts scoped to one revision, upgrade_each.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
DROP TABLE IF EXISTS t1, t2, t3;

SELECT schemamig.add_revision('r1', 'one', 'CREATE TABLE t1 (id int)', 'DROP TABLE t1', '{}');
SELECT schemamig.add_revision('r2', 'two, irreversible', 'CREATE TABLE t2 (id int)', NULL);
SELECT schemamig.add_revision('r3', 'three', 'CREATE TABLE t3 (id int)', 'DROP TABLE t3');
SELECT count(*) FROM schemamig.upgrade('head');

-- a downgrade through an irreversible revision fails before running anything
SELECT * FROM schemamig.downgrade('base');
SELECT revision FROM schemamig.version;
SELECT count(*) AS t3_exists FROM pg_class WHERE relname = 't3';
-- stopping before it is fine
SELECT revision FROM schemamig.downgrade('r2');

-- transaction control inside a revision is refused with a clear error
SELECT schemamig.add_revision('r4', 'commits', 'CREATE TABLE t4 (id int); COMMIT;', 'DROP TABLE t4');
SELECT * FROM schemamig.upgrade('r4');
SELECT count(*) AS t4_exists FROM pg_class WHERE relname = 't4';
SELECT schemamig.remove_revision('r4');

-- non-transactional revisions are refused by upgrade() with a hint
SELECT schemamig.add_revision('r5', 'concurrent index',
    'CREATE INDEX CONCURRENTLY t1_id ON t1 (id)', 'DROP INDEX CONCURRENTLY t1_id',
    transactional => false);
SELECT * FROM schemamig.upgrade('head');
SELECT revision FROM schemamig.version;

-- ... and applied through plan() rows, top-level (psql \gexec)
SELECT step, revision, direction, statement, transactional FROM schemamig.plan('head');
SELECT statement FROM schemamig.plan('head') \gexec
SELECT revision FROM schemamig.version;
SELECT indexrelid::regclass AS index, indisvalid FROM pg_index WHERE indrelid = 't1'::regclass;
SELECT revision, direction, heads_before, heads_after FROM schemamig.log ORDER BY id DESC LIMIT 1;
-- plan() downgrades when the target is behind
SELECT step, revision, direction, statement FROM schemamig.plan('r3');
SELECT statement FROM schemamig.plan('r3') \gexec
SELECT revision FROM schemamig.version;
SELECT count(*) AS t1_indexes FROM pg_index WHERE indrelid = 't1'::regclass;

-- a plan step whose statement failed is not recorded
SELECT schemamig._begin_step('r5', 'upgrade', 1);
CREATE INDEX CONCURRENTLY t1_id ON no_such_table (id);
SELECT schemamig._end_step('r5', 'upgrade');
SELECT revision FROM schemamig.version;
-- steps must match the state and be closed in order
SELECT schemamig._end_step('r5', 'upgrade');
SELECT schemamig._begin_step('r1', 'upgrade', 1);
SELECT schemamig._begin_step('r5', 'sideways', 1);

-- the rest of the history is transactional
SELECT schemamig.remove_revision('r5');

-- lock_timeout from schemamig.lock_timeout applies to the revision only
SELECT schemamig.add_revision('r6', 'shows settings',
    $q$DO $b$ BEGIN RAISE WARNING 'lock_timeout inside: %', current_setting('lock_timeout'); END $b$$q$,
    'SELECT 1');
SET lock_timeout = '7s';
SET schemamig.lock_timeout = '150ms';
BEGIN;
SELECT revision FROM schemamig.upgrade('r6');
SHOW lock_timeout;
ROLLBACK;
RESET schemamig.lock_timeout;
RESET lock_timeout;

-- a revision that runs past schemamig.statement_timeout is cancelled (57014)
SELECT schemamig.add_revision('r7', 'slow', 'CREATE TABLE t7 (id int); SELECT pg_sleep(3)', 'DROP TABLE t7', '{r6}');
SET schemamig.statement_timeout = '300ms';
DO $$
BEGIN
    PERFORM schemamig.upgrade('r7');
EXCEPTION WHEN query_canceled THEN
    RAISE WARNING 'cancelled: % (%)', SQLERRM, SQLSTATE;
END $$;
RESET schemamig.statement_timeout;
SELECT count(*) AS t7_exists FROM pg_class WHERE relname = 't7';
SELECT revision FROM schemamig.version;
-- the timer is disarmed after the revision: later statements run freely
SET schemamig.statement_timeout = '300ms';
SELECT schemamig.remove_revision('r7');
SELECT schemamig.add_revision('r7', 'fast', 'CREATE TABLE t7 (id int)', 'DROP TABLE t7', '{r6}');
SELECT revision FROM schemamig.upgrade('r7');
SELECT pg_sleep(0.5) IS NOT NULL AS slept_after;
RESET schemamig.statement_timeout;

-- upgrade_each commits each revision: a failure keeps the ones before it
SELECT schemamig.add_revision('r8', 'good', 'CREATE TABLE t8 (id int)', 'DROP TABLE t8');
SELECT schemamig.add_revision('r9', 'bad', 'CREATE TABLE t8 (id int)', 'SELECT 1');
CALL schemamig.upgrade_each('head');
SELECT revision FROM schemamig.version;
SELECT schemamig.remove_revision('r9');
CALL schemamig.downgrade_each('r3');
SELECT revision FROM schemamig.version;
SELECT revision, direction FROM schemamig.log WHERE direction <> 'stamp' ORDER BY id DESC LIMIT 3;
-- inside a transaction block the per-revision commits are impossible
BEGIN;
CALL schemamig.upgrade_each('head');
ROLLBACK;

-- only granted roles may migrate
CREATE ROLE sm_nobody;
SET ROLE sm_nobody;
SELECT * FROM schemamig.upgrade('head');
SELECT * FROM schemamig.plan('head');
RESET ROLE;
DROP ROLE sm_nobody;

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE IF EXISTS t1, t2, t3, t4, t7, t8;
