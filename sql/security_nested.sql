-- Issue 10, item 9: a running revision cannot change the catalog it is
-- recorded in: every mutating function is refused inside it (upgrade(),
-- downgrade(), upgrade_each and plan steps alike).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
DROP TABLE IF EXISTS n_t;
\set VERBOSITY default
\set SHOW_CONTEXT never
SET schemamig.lint_on_upgrade = off;

SELECT schemamig.add_revision('n1', 'base', 'CREATE TABLE n_t (id int)', 'DROP TABLE n_t', '{}');
-- removes itself
SELECT schemamig.add_revision('n2', 'removes itself', $$SELECT schemamig.remove_revision('n2')$$, '');
-- upgrades inside an upgrade
SELECT schemamig.add_revision('n3', 'nested upgrade', $$SELECT count(*) FROM schemamig.upgrade('head')$$, '', ARRAY['n1']);
-- registers, stamps, snapshots, acknowledges
SELECT schemamig.add_revision('n4', 'registers', $$SELECT schemamig.add_revision('n9', 'x', '')$$, '', ARRAY['n1']);
SELECT schemamig.add_revision('n5', 'stamps', $$SELECT schemamig.stamp('base')$$, '', ARRAY['n1']);
SELECT schemamig.add_revision('n6', 'snapshots', $$SELECT schemamig.snapshot()$$, '', ARRAY['n1']);
SELECT schemamig.add_revision('n7', 'acknowledges', $$SELECT schemamig.acknowledge_drift()$$, '', ARRAY['n1']);
-- a downgrade that upgrades
SELECT schemamig.add_revision('n8', 'downgrade upgrades', '', $$SELECT count(*) FROM schemamig.upgrade('n2')$$, ARRAY['n1']);

SELECT revision FROM schemamig.upgrade('n1');
SELECT revision FROM schemamig.upgrade('n2');
SELECT revision FROM schemamig.upgrade('n3');
SELECT revision FROM schemamig.upgrade('n4');
SELECT revision FROM schemamig.upgrade('n5');
SELECT revision FROM schemamig.upgrade('n6');
SELECT revision FROM schemamig.upgrade('n7');
SELECT revision FROM schemamig.upgrade('n8');
SELECT revision FROM schemamig.downgrade('n1');
-- upgrade_each runs each revision the same way
CALL schemamig.upgrade_each('n2');
-- and a plan step, in psql's order
BEGIN;
SELECT schemamig._begin_step('n2', 'upgrade', 1);
SELECT schemamig.remove_revision('n2');
ROLLBACK;
BEGIN;
SELECT schemamig._begin_step('n2', 'upgrade', 1);
SELECT schemamig._begin_step('n3', 'upgrade', 1);
ROLLBACK;
-- nothing changed: the version table, the graph
SELECT revision FROM schemamig.version ORDER BY position;
SELECT count(*) AS revisions FROM schemamig.revision;
-- outside a revision the same calls work
SELECT schemamig.remove_revision('n2');

SET client_min_messages = warning;
DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE IF EXISTS n_t;
