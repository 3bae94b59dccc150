-- verify() and dry_run() run non-transactional revisions with their
-- transactional equivalents, and say so; a statement with none fails.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
DROP TABLE IF EXISTS tasks, meas CASCADE;
CREATE EXTENSION pg_schemamig;
CREATE TABLE tasks (id int PRIMARY KEY, title text);
CREATE INDEX tasks_title ON tasks (title);
CREATE TABLE meas (t int) PARTITION BY RANGE (t);
CREATE TABLE meas_1 PARTITION OF meas FOR VALUES FROM (0) TO (10);
SELECT schemamig.add_revision('r1', 'reindex forms',
  $$REINDEX INDEX CONCURRENTLY tasks_title;
    REINDEX (CONCURRENTLY) INDEX tasks_title;
    REINDEX (VERBOSE false, CONCURRENTLY true) TABLE tasks;
    REINDEX (CONCURRENTLY, VERBOSE false) TABLE "tasks";
    VACUUM tasks;$$,
  $$ALTER TABLE meas DETACH PARTITION meas_1 CONCURRENTLY;
    ALTER TABLE meas ATTACH PARTITION meas_1 FOR VALUES FROM (0) TO (10);$$, '{}', transactional => false);
SELECT schemamig.add_revision('r2', 'no equivalent', 'CREATE DATABASE nope_verify', 'DROP DATABASE nope_verify', transactional => false);
SELECT * FROM schemamig.verify();
-- nothing was left
SELECT count(*) AS databases FROM pg_database WHERE datname = 'nope_verify';
SELECT revision FROM schemamig.version;
SELECT revision, statement_no, statement, locks FROM schemamig.dry_run('r1');

-- a deployer role with EXECUTE on verify and dry_run, owning the tables,
-- verifies as itself: the revisions run with its rights
DROP TABLE tasks, meas;
SELECT schemamig.remove_revision('r2');
SELECT schemamig.remove_revision('r1');
CREATE ROLE verify_deployer;
GRANT CREATE ON SCHEMA public TO verify_deployer;
GRANT EXECUTE ON FUNCTION schemamig.verify(text), schemamig.dry_run(text) TO verify_deployer;
SET ROLE verify_deployer;
CREATE TABLE tasks (id int PRIMARY KEY, title text);
INSERT INTO tasks VALUES (1, 'a');
RESET ROLE;
SELECT schemamig.add_revision('d1', 'deployer', 'ALTER TABLE tasks ADD COLUMN p int; UPDATE tasks SET p = 1',
                              'ALTER TABLE tasks DROP COLUMN p', '{}');
SELECT schemamig.add_revision('d2', 'not the deployer''s', 'ALTER TABLE schemamig.version ADD COLUMN x int',
                              'ALTER TABLE schemamig.version DROP COLUMN x');
SET ROLE verify_deployer;
SELECT * FROM schemamig.verify();
SELECT revision, statement_no, locks, rows FROM schemamig.dry_run('d1');
RESET ROLE;

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE tasks;
REVOKE CREATE ON SCHEMA public FROM verify_deployer;
DROP ROLE verify_deployer;
