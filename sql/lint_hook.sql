SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY default
\set SHOW_CONTEXT never
-- schemamig.lint_on_upgrade: upgrade() lints each revision before running it.
CREATE TABLE tasks (id bigint PRIMARY KEY, title text);
INSERT INTO tasks SELECT i, 't' || i FROM generate_series(1, 10) i;
ANALYZE tasks;
CREATE TABLE notes (id bigint PRIMARY KEY, task_id bigint REFERENCES tasks);
-- NOTICEs of upgrade() carry timings
SET client_min_messages = warning;
SELECT schemamig.add_revision('h1', 'clean up', 'SELECT 1;
TRUNCATE tasks CASCADE;
ALTER TABLE tasks ADD COLUMN priority text NOT NULL;', NULL, '{}');
-- error: refused before anything runs, naming the findings
SET schemamig.lint_on_upgrade = error;
SELECT revision, direction FROM schemamig.upgrade('head');
SELECT count(*) AS tasks FROM tasks;
SELECT count(*) AS applied FROM schemamig.version;
-- warning: one WARNING per error finding, then the revision runs (and here
-- succeeds, because TRUNCATE emptied the table first)
SET schemamig.lint_on_upgrade = warning;
BEGIN;
SELECT revision, direction FROM schemamig.upgrade('head');
SELECT count(*) AS tasks FROM tasks;
ROLLBACK;
-- off: silent
SET schemamig.lint_on_upgrade = off;
BEGIN;
SELECT revision, direction FROM schemamig.upgrade('head');
ROLLBACK;
-- a suppression comment lets an error-mode upgrade through
SET schemamig.lint_on_upgrade = error;
SELECT schemamig.add_revision('h2', 'truncate notes', '-- schemamig:allow ban-truncate-cascade notes are rebuilt nightly
TRUNCATE notes CASCADE;', NULL, '{}');
SELECT revision, direction FROM schemamig.upgrade('h2');
-- warnings and infos never block
SELECT schemamig.add_revision('h3', 'index', 'CREATE INDEX ON tasks (title);', NULL, '{h2}');
SELECT revision, direction FROM schemamig.upgrade('h3');
RESET schemamig.lint_on_upgrade;
RESET client_min_messages;
DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE notes, tasks;
