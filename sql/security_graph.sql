-- Issue 10, items 6 and 16: check() reports a version table that names a
-- revision together with one that builds on it, or a revision that is not
-- registered (what a caller that bypassed the lock, or a hand edit, leaves);
-- history() over a range whose start is below its end only through
-- depends_on is refused by name (22023; Alembic fails an assertion there)
-- instead of failing with an internal error (XX000).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
\set VERBOSITY default

SELECT schemamig.add_revision('v1', 'one', '', '', '{}');
SELECT schemamig.add_revision('v2', 'two', '', '');
SELECT schemamig.add_revision('w1', 'other base', '', '', '{}', depends_on => ARRAY['v1']);
SELECT schemamig.add_revision('w2', 'other two', '', '', ARRAY['w1']);
SELECT count(*) FROM schemamig.upgrade('v2');
SELECT * FROM schemamig.check() WHERE problem = 'invalid version table';

-- item 6: what a re-applied revision left: {v2, v1}
INSERT INTO schemamig.version VALUES ('v1', 2);
SELECT severity, problem, detail FROM schemamig.check() WHERE problem = 'invalid version table';
DELETE FROM schemamig.version WHERE revision = 'v1';
-- a dependency is no such problem: w1 depends on v1, both may be rows
SELECT count(*) FROM schemamig.upgrade('w1');
SELECT revision FROM schemamig.version ORDER BY position;
SELECT count(*) AS problems FROM schemamig.check() WHERE problem = 'invalid version table';
-- a row naming no revision
INSERT INTO schemamig.version VALUES ('gone', 9);
SELECT severity, problem, detail FROM schemamig.check() WHERE problem = 'invalid version table';
DELETE FROM schemamig.version WHERE revision = 'gone';

-- item 16: v1 is below w2 only through depends_on
SELECT revision FROM schemamig.history('v1:w2');
SELECT revision FROM schemamig.history('v1:');
SELECT revision FROM schemamig.history('v1:heads');
SELECT schemamig.stamp('v1', purge => true);
SELECT revision FROM schemamig.history('current:');
SELECT revision FROM schemamig.history('current:w2');

SET client_min_messages = warning;
DROP EXTENSION pg_schemamig CASCADE;
