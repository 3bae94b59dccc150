-- Target resolution, history ranges and stamp on a hand-made graph with
-- branch labels, dependencies (on revisions and on labels), a branch, a
-- merge, several bases and ambiguous prefixes: what the real corpora lack.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;

--   r0001 (core) - r0002 -+- x1aa (feat) - x2bb -+- m1dd - after1
--                         +- y1cc ---------------+
--   oth1 (other) - oth2 (depends on x1aa) - oth3 (depends on label core)
--   dep0,  dep1 (a base that depends on dep0)
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
SELECT schemamig.add_revision('dep0', 'dep base', 'SELECT 1', NULL, '{}');
SELECT schemamig.add_revision('dep1', 'dependent base', 'SELECT 1', NULL, '{}', '{}', '{dep0}');

-- the whole graph: effective labels spread over each labelled line (the
-- same as Alembic's branch_labels after loading)
SELECT revision, down_revisions, next_revisions, branch_labels, depends_on,
       is_head, is_base, is_branch_point, is_merge_point
  FROM schemamig.history();
-- heads() counts down revisions only, heads(true) dependencies too
SELECT revision FROM schemamig.heads();
SELECT revision FROM schemamig.heads(true);
SELECT revision FROM schemamig.bases();
SELECT revision FROM schemamig.bases(true);
SELECT revision, next_revisions FROM schemamig.branches();

-- resolution
\set VERBOSITY default
SELECT revision FROM schemamig.show('heads');
SELECT revision FROM schemamig.show('base');
SELECT revision FROM schemamig.show('head');
SELECT revision FROM schemamig.show('core@head');
SELECT revision FROM schemamig.show('feat@head');
SELECT revision FROM schemamig.show('other@head');
SELECT revision FROM schemamig.show('feat@heads');
SELECT revision FROM schemamig.show('core@base');
SELECT revision FROM schemamig.show('x1aa@head');
SELECT revision FROM schemamig.show('y1cc@head');
SELECT revision FROM schemamig.show('r0002@head');
SELECT revision FROM schemamig.show('r0001');
SELECT revision FROM schemamig.show('afte');
-- a prefix may be shorter than four characters when it is unique among the
-- ids and labels longer than three (Alembic's rule)
SELECT revision FROM schemamig.show('x1a');
SELECT revision FROM schemamig.show('feat');
SELECT revision FROM schemamig.show('othe');
SELECT revision FROM schemamig.show('feat@x2bb');
SELECT revision FROM schemamig.show('feat@r0001');
SELECT revision FROM schemamig.show('-1');
SELECT revision FROM schemamig.show('other@-1');
SELECT revision FROM schemamig.show('feat@-1');
-- errors
SELECT revision FROM schemamig.show('r000');
SELECT revision FROM schemamig.show('oth');
SELECT revision FROM schemamig.show('zzzz');
SELECT revision FROM schemamig.show('nope@head');
SELECT revision FROM schemamig.show('other@x2bb');
SELECT revision FROM schemamig.show('-2');
SELECT revision FROM schemamig.show('r0002+1');
SELECT revision FROM schemamig.show('+1');
SELECT revision FROM schemamig.show('');
SELECT revision FROM schemamig.show('a@b@c');
SELECT revision FROM schemamig.show('ab cd');
SELECT revision FROM schemamig.show('x1aa-');
SELECT revision FROM schemamig.show('x1aa+1junk');
SELECT revision FROM schemamig.show('-9999999999');
SELECT revision FROM schemamig.show(repeat('a', 65));
SELECT count(*) FROM schemamig.show(NULL);

-- history ranges (Alembic's history -r)
\set VERBOSITY terse
SELECT revision FROM schemamig.history('r0002:');
SELECT revision FROM schemamig.history(':x2bb');
SELECT revision FROM schemamig.history('x1aa:after1');
SELECT revision FROM schemamig.history('feat@base:feat@head');
SELECT revision FROM schemamig.history('other@base:other@head');
SELECT revision FROM schemamig.history(' r0002 : m1dd ');
SELECT revision FROM schemamig.history('x2bb:r0002');
SELECT revision FROM schemamig.history('nocolon');
SELECT revision FROM schemamig.history('a:b:c');
SELECT revision FROM schemamig.history('x1aa-1:x1aa+1');

-- stamp: both forms, merges, branches, purge, base, and the log
SELECT schemamig.stamp('x2bb');
SELECT revision FROM schemamig.current();
SELECT schemamig.stamp('y1cc');
SELECT schemamig.stamp('m1dd');
SELECT schemamig.stamp('r0002');
SELECT schemamig.stamp(ARRAY['x2bb', 'oth1']);
SELECT revision FROM schemamig.history('current:');
SELECT revision FROM schemamig.history(':current');
SELECT schemamig.stamp('after1');
SELECT schemamig.stamp('oth2', purge => true);
SELECT schemamig.stamp('heads');
SELECT schemamig.stamp(ARRAY[]::text[]);
SELECT schemamig.stamp(ARRAY['x1aa', 'y1cc'], true);
SELECT schemamig.stamp('base');
SELECT schemamig.stamp('dep1');
SELECT schemamig.stamp('dep0');
SELECT revision, direction, heads_before, heads_after, role = CURRENT_USER AS by_me,
       checksum IS NULL AS no_checksum
  FROM schemamig.log ORDER BY id;
-- stamp errors leave the version table alone
SELECT schemamig.stamp('nope');
SELECT schemamig.stamp('-1');
SELECT schemamig.stamp(NULL::text);
SELECT schemamig.stamp(NULL::text[]);
SELECT schemamig.stamp('head');
SELECT revision FROM schemamig.current();

DROP EXTENSION pg_schemamig CASCADE;
