-- Issue 10, items 8, 15, 17: statements that can never run in a revision are
-- refused when it is registered, each with its own SQLSTATE; statements that
-- PostgreSQL refuses in a transaction block need transactional => false.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
\set VERBOSITY default
\set SHOW_CONTEXT never

SELECT schemamig.add_revision('g1', 'base', 'CREATE TABLE g_t (id int)', 'DROP TABLE g_t', '{}');

-- item 8: transaction control, in either direction and in any form
SELECT schemamig.add_revision('g2', 'commits', 'CREATE TABLE g_u (id int); COMMIT;', 'DROP TABLE g_u');
SELECT schemamig.add_revision('g2', 'begins', 'BEGIN; CREATE TABLE g_u (id int);', 'DROP TABLE g_u');
SELECT schemamig.add_revision('g2', 'savepoint', 'SAVEPOINT a; CREATE TABLE g_u (id int)', 'DROP TABLE g_u');
SELECT schemamig.add_revision('g2', 'prepares', 'CREATE TABLE g_u (id int); PREPARE TRANSACTION ''x''', 'DROP TABLE g_u');
SELECT schemamig.add_revision('g2', 'down commits', 'CREATE TABLE g_u (id int)', 'DROP TABLE g_u; COMMIT');
-- also where no transaction is opened by pg_schemamig
SELECT schemamig.add_revision('g2', 'rollback', 'CREATE INDEX CONCURRENTLY g_i ON g_t (id); ROLLBACK',
                              NULL, transactional => false);

-- item 15: COPY to or from the client, and pg_schemamig's own extension
SELECT schemamig.add_revision('g2', 'copy in', 'COPY g_t FROM STDIN', NULL);
SELECT schemamig.add_revision('g2', 'copy out', 'COPY g_t TO STDOUT', NULL);
SELECT schemamig.add_revision('g2', 'copy query out', 'COPY (SELECT 1) TO STDOUT', NULL);
SELECT schemamig.add_revision('g2', 'drops us', 'DROP EXTENSION pg_schemamig CASCADE', NULL);
SELECT schemamig.add_revision('g2', 'drops us too', 'DROP EXTENSION IF EXISTS sm_no_such_extension, pg_schemamig', NULL);
SELECT schemamig.add_revision('g2', 'updates us', 'ALTER EXTENSION pg_schemamig UPDATE', NULL);
-- none of them was registered
SELECT count(*) AS registered FROM schemamig.revision;

-- item 17: statements PostgreSQL refuses in a transaction block
SELECT schemamig.add_revision('g2', 'discard', 'DISCARD ALL', NULL);
SELECT schemamig.add_revision('g2', 'cluster', 'CLUSTER', NULL);
SELECT schemamig.add_revision('g2', 'reindex schema', 'REINDEX SCHEMA public', NULL);
SELECT schemamig.add_revision('g2', 'vacuum', 'VACUUM g_t', NULL);
-- and their neighbours that it allows
SELECT schemamig.add_revision('g2', 'allowed', $$ANALYZE g_t; DISCARD PLANS; REINDEX TABLE g_t;
    COPY (SELECT 1) TO PROGRAM 'true'$$, NULL);
SELECT schemamig.remove_revision('g2');
SELECT schemamig.add_revision('g2', 'allowed', 'ANALYZE g_t; DISCARD PLANS; REINDEX TABLE g_t', NULL);
SELECT schemamig.add_revision('g3', 'discard, top-level', 'DISCARD ALL', NULL, transactional => false);
SELECT revision FROM schemamig.upgrade('g2');
-- the non-transactional one runs through plan(), not upgrade()
SELECT statement, transactional FROM schemamig.plan('g3');

-- a revision registered before these checks (or written into the catalog
-- by hand) is refused before anything of it runs, online and offline
SELECT schemamig.add_revision('g4', 'plain', 'CREATE TABLE g_v (id int)', NULL, ARRAY['g2']);
UPDATE schemamig.revision SET upgrade_sql = 'CREATE TABLE g_v (id int); COMMIT',
    checksum = schemamig.checksum('CREATE TABLE g_v (id int); COMMIT', NULL, true)
  WHERE id = 'g4';
SET schemamig.lint_on_upgrade = off;
SELECT * FROM schemamig.upgrade('g4');
SELECT schemamig.upgrade_sql('g4') IS NULL AS no_script;
SELECT count(*) FROM schemamig.plan('g4');
SELECT count(*) AS g_v_exists FROM pg_class WHERE relname = 'g_v';

SET client_min_messages = warning;
DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE IF EXISTS g_t, g_u, g_v;
