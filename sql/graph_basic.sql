-- Registering revisions and reading the graph: linear history, branches,
-- merges, generated ids, defaults and every registration error.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

-- empty graph
SELECT count(*) AS heads FROM schemamig.heads();
SELECT count(*) AS bases FROM schemamig.bases();
SELECT count(*) AS history FROM schemamig.history();

-- a first revision with no parent given becomes a base
SELECT schemamig.add_revision('a1', 'create t', 'CREATE TABLE t (id int);', 'DROP TABLE t;');
-- later ones default to the single head
SELECT schemamig.add_revision('b2', 'add col', 'ALTER TABLE t ADD c int;', 'ALTER TABLE t DROP c;');
SELECT schemamig.add_revision('c3', 'add col 2', 'ALTER TABLE t ADD d int;');
SELECT id, down_revisions, transactional, checksum_algorithm,
       checksum = schemamig.checksum(upgrade_sql, downgrade_sql, transactional) AS checksum_ok
  FROM schemamig.revision ORDER BY seq;

SELECT * FROM schemamig.heads();
SELECT * FROM schemamig.bases();
SELECT revision FROM schemamig.history();

-- a generated id is 12 hex digits
SELECT schemamig.add_revision(NULL, 'generated', 'SELECT 1') ~ '^[0-9a-f]{12}$' AS generated_ok;
SELECT (SELECT revision FROM schemamig.heads()) ~ '^[0-9a-f]{12}$' AS head_is_generated;
SELECT schemamig.remove_revision((SELECT revision FROM schemamig.heads()));

-- a branch from b2 and a second base
SELECT schemamig.add_revision('d4', 'branch', 'SELECT 1', NULL, '{b2}');
SELECT schemamig.add_revision('e5', 'other base', 'SELECT 1', NULL, '{}');
SELECT revision, next_revisions, is_head, is_base, is_branch_point, is_merge_point
  FROM schemamig.heads();
SELECT revision FROM schemamig.bases();
SELECT revision, next_revisions FROM schemamig.branches();

-- several heads: the default parent is unclear
SELECT schemamig.add_revision('f6', 'x', 'SELECT 1');

-- merge all heads
SELECT schemamig.merge(message => 'merge all', id => 'm7');
SELECT revision, down_revisions, is_merge_point FROM schemamig.heads();
SELECT revision FROM schemamig.history();
SELECT upgrade_sql, downgrade_sql FROM schemamig.revision WHERE id = 'm7';
-- merging needs two revisions
SELECT schemamig.merge();
SELECT schemamig.merge('{m7}');
-- merging a revision with its ancestor is refused
SELECT schemamig.merge('{m7,c3}');

-- identical re-registration is a no-op; a new message is kept
SELECT schemamig.add_revision('c3', 'add col 2 (renamed)', 'alter table T add D int;');
SELECT id, message, seq = 3 AS same_seq FROM schemamig.revision WHERE id = 'c3';
-- different SQL replaces a revision that is not applied
SELECT schemamig.add_revision('c3', 'add col 2', 'ALTER TABLE t ADD e int;', NULL, '{b2}');
SELECT upgrade_sql FROM schemamig.revision WHERE id = 'c3';
-- ... but not an applied one
SELECT schemamig.stamp('c3');
SELECT schemamig.add_revision('b2', 'add col', 'ALTER TABLE t ADD x int;', 'ALTER TABLE t DROP c;');
SELECT schemamig.add_revision('c3', 'add col 2', 'ALTER TABLE t ADD e int;', NULL, '{a1}');
SELECT schemamig.stamp('base');
-- "applied" also counts what an applied revision depends on
SELECT schemamig.add_revision('dp0', 'dep target', 'SELECT 1', NULL, '{}');
SELECT schemamig.add_revision('dp1', 'dependent', 'SELECT 1', NULL, '{}', '{}', '{dp0}');
SELECT schemamig.stamp('dp1');
SELECT schemamig.add_revision('dp0', 'dep target', 'SELECT 2', NULL, '{}');
SELECT schemamig.remove_revision('dp1');
SELECT schemamig.stamp('base');
SELECT schemamig.remove_revision('dp1');
SELECT schemamig.remove_revision('dp0');
-- re-registration must not close a cycle
SELECT schemamig.add_revision('a1', 'create t', 'CREATE TABLE t (id int);', 'DROP TABLE t;', '{c3}');

-- registration errors
SELECT schemamig.add_revision('bad-id', 'x', 'SELECT 1');
SELECT schemamig.add_revision('head', 'x', 'SELECT 1', NULL, '{}');
SELECT schemamig.add_revision('x1', 'x', NULL);
SELECT schemamig.add_revision('x1', 'x', 'SELECT 1', NULL, '{nope}');
SELECT schemamig.add_revision('x1', 'x', 'SELECT 1', NULL, '{a1,a1}');
SELECT schemamig.add_revision('x1', 'x', 'SELECT 1', NULL, '{x1}');
SELECT schemamig.add_revision('x1', 'x', 'SELECT 1', NULL, '{a1}', '{}', '{nope}');
SELECT schemamig.add_revision('x1', 'x', 'SELECT 1', NULL, ARRAY['a1', NULL]);
SELECT schemamig.add_revision('x1', 'x', 'SELECT 1', NULL, '{{a1},{b2}}');
SELECT schemamig.add_revision('x1', 'x', 'SELEC 1', NULL, '{a1}');
SELECT schemamig.add_revision('x1', 'x', 'SELECT 1', 'DROP TABLE', '{a1}');
SELECT schemamig.add_revision('x1', 'x', 'CREATE INDEX CONCURRENTLY i ON t (id)', NULL, '{a1}');
SELECT schemamig.add_revision('x1', 'x', 'CREATE INDEX CONCURRENTLY i ON t (id)', 'DROP INDEX CONCURRENTLY i', '{a1}', transactional => false);
SELECT transactional FROM schemamig.revision WHERE id = 'x1';
SELECT schemamig.remove_revision('x1');
SELECT schemamig.add_revision('a1', 'dup label', 'SELECT 1', NULL, '{}', '{a1}');
SELECT schemamig.add_revision('x2', 'x', 'SELECT 1', NULL, '{a1}', '{base}');
SELECT schemamig.add_revision('x2', 'x', 'SELECT 1', NULL, '{a1}', '{lbl,lbl}');
SELECT schemamig.add_revision('x2', 'x', 'SELECT 1', NULL, '{a1}', '{lbl}');
SELECT schemamig.add_revision('x3', 'x', 'SELECT 1', NULL, '{a1}', '{lbl}');
SELECT schemamig.add_revision('lbl', 'x', 'SELECT 1', NULL, '{a1}');
SELECT schemamig.add_revision('x3', 'x', 'SELECT 1', NULL, '{a1}', '{bad-label}');
-- a dependency may name a branch label
SELECT schemamig.add_revision('x3', 'x', 'SELECT 1', NULL, '{a1}', '{}', '{lbl}');
SELECT revision, depends_on FROM schemamig.show('x3');
SELECT schemamig.remove_revision('x2');
SELECT schemamig.remove_revision('x3');
SELECT schemamig.remove_revision('x2');

-- remove_revision errors
SELECT schemamig.remove_revision('nope');
SELECT schemamig.remove_revision('b2');
SELECT schemamig.remove_revision(NULL);
SELECT schemamig.stamp('m7');
SELECT schemamig.remove_revision('m7');
SELECT schemamig.stamp('base');
SELECT schemamig.remove_revision('m7');
SELECT revision FROM schemamig.heads() ORDER BY revision COLLATE "C";

-- mutating calls refuse read-only transactions
BEGIN READ ONLY;
SELECT schemamig.stamp('base');
ROLLBACK;
BEGIN READ ONLY;
SELECT schemamig.add_revision('ro1', 'x', 'SELECT 1');
ROLLBACK;
-- merge targets resolve like show(); base cannot be merged
SELECT schemamig.merge(ARRAY['base', 'c3']);
SELECT schemamig.merge(ARRAY['c3', 'nope']);

-- only the owner may register
CREATE ROLE sm_graph_nobody;
SET ROLE sm_graph_nobody;
SELECT schemamig.add_revision('z9', 'x', 'SELECT 1');
SELECT count(*) > 0 AS can_read FROM schemamig.history();
RESET ROLE;
DROP ROLE sm_graph_nobody;

DROP EXTENSION pg_schemamig CASCADE;
