-- Upgrade and downgrade order, through plan(), on the hand-made graph of
-- graph_targets: labels, dependencies on revisions and on labels, a merge,
-- relative targets past the merge.  Every order here was checked against
-- Alembic (RevisionMap.iterate_revisions) on the same graph.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

--   r0001 (core) - r0002 -+- x1aa (feat) - x2bb -+- m1dd - after1
--                         +- y1cc ---------------+
--   oth1 (other) - oth2 (depends on x1aa) - oth3 (depends on label core)
--   dep0,  dep1 (a base that depends on dep0)
\o /dev/null
SELECT schemamig.add_revision('r0001', 'root', 'SELECT 1', 'SELECT 1', '{}', '{core}');
SELECT schemamig.add_revision('r0002', 'second', 'SELECT 1', 'SELECT 1');
SELECT schemamig.add_revision('x1aa', 'feature 1', 'SELECT 1', 'SELECT 1', '{r0002}', '{feat}');
SELECT schemamig.add_revision('x2bb', 'feature 2', 'SELECT 1', 'SELECT 1', '{x1aa}');
SELECT schemamig.add_revision('y1cc', 'side', 'SELECT 1', 'SELECT 1', '{r0002}');
SELECT schemamig.merge(ARRAY['x2bb', 'y1cc'], 'join', 'm1dd');
SELECT schemamig.add_revision('after1', 'after merge', 'SELECT 1', 'SELECT 1', '{m1dd}');
SELECT schemamig.add_revision('oth1', 'other root', 'SELECT 1', 'SELECT 1', '{}', '{other}');
SELECT schemamig.add_revision('oth2', 'other 2', 'SELECT 1', 'SELECT 1', '{oth1}', '{}', '{x1aa}');
SELECT schemamig.add_revision('oth3', 'other 3', 'SELECT 1', 'SELECT 1', '{oth2}', '{}', '{core}');
SELECT schemamig.add_revision('dep0', 'dep base', 'SELECT 1', 'SELECT 1', '{}');
SELECT schemamig.add_revision('dep1', 'dependent base', 'SELECT 1', 'SELECT 1', '{}', '{}', '{dep0}');
\o
SELECT count(*) AS registered FROM schemamig.revision;

-- the revisions plan(target) runs from the version table from_heads, in
-- order: rev+ upgrades, rev- downgrades
CREATE FUNCTION pg_temp.plan_order(from_heads text[], target text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  PERFORM schemamig.stamp(from_heads, purge => true);
  SELECT coalesce(string_agg(revision || CASE direction WHEN 'upgrade' THEN '+' ELSE '-' END,
                             ' ' ORDER BY first_step), '(nothing)')
    INTO r
    FROM (SELECT revision, direction, min(step) AS first_step
            FROM schemamig.plan(target) GROUP BY revision, direction) AS p;
  RETURN r;
END $$;

SELECT pg_temp.plan_order('{}', 'heads');
SELECT pg_temp.plan_order('{}', 'other@head');
SELECT pg_temp.plan_order('{}', 'oth2');
SELECT pg_temp.plan_order('{oth1}', 'heads');
SELECT pg_temp.plan_order('{x2bb}', 'after1');
SELECT pg_temp.plan_order('{y1cc}', '+1');
SELECT pg_temp.plan_order('{r0002}', 'feat@+2');
SELECT pg_temp.plan_order('{}', 'core@+3');
SELECT pg_temp.plan_order('{x1aa,y1cc}', 'heads');
SELECT pg_temp.plan_order('{oth3,after1}', '+1');
SELECT pg_temp.plan_order('{}', 'dep1');
SELECT pg_temp.plan_order('{after1,oth3,dep1}', 'base');
SELECT pg_temp.plan_order('{after1,oth3}', 'x1aa');
SELECT pg_temp.plan_order('{after1,oth3}', 'r0002');
SELECT pg_temp.plan_order('{after1,oth3}', 'other@base');
SELECT pg_temp.plan_order('{after1,oth3}', 'feat@base');
SELECT pg_temp.plan_order('{after1,oth3}', '-1');
SELECT pg_temp.plan_order('{after1,oth3}', 'other@-1');
SELECT pg_temp.plan_order('{after1}', '-2');
SELECT pg_temp.plan_order('{m1dd}', 'x1aa');
SELECT pg_temp.plan_order('{after1,oth3,dep1}', 'dep0');
SELECT pg_temp.plan_order('{oth3,after1}', 'x1aa-1');
SELECT pg_temp.plan_order('{oth3}', 'oth1');
SELECT pg_temp.plan_order('{oth1}', 'oth3');
SELECT pg_temp.plan_order('{after1}', 'core@-2');
SELECT pg_temp.plan_order('{dep0}', 'heads');
SELECT pg_temp.plan_order('{oth3,dep1}', 'x1aa');
SELECT pg_temp.plan_order('{y1cc}', 'x1aa');
SELECT pg_temp.plan_order('{m1dd,oth1}', 'r0001');

DROP EXTENSION pg_schemamig CASCADE;
