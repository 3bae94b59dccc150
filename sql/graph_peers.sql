SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
-- Answers Alembic gives that its own tests assert (test/t/181_alembic_suite.pl)
SET schemamig.tracked_schemas = public;
SELECT schemamig.add_revision('a', '', 'SELECT 1', 'SELECT 1', '{}');
SELECT schemamig.add_revision('b', '', 'SELECT 1', 'SELECT 1', '{a}');
SELECT schemamig.add_revision('c', '', 'SELECT 1', 'SELECT 1', '{b}');
-- a relative start that overshoots clamps at the base (Alembic 0.7+)
SELECT revision FROM schemamig.history('-5:c');
SELECT revision FROM schemamig.history('-1:c');
-- downgrades still count exactly
SELECT schemamig.stamp('c');
SELECT revision FROM schemamig.downgrade('-5');

-- current(): the version table and what it implies through depends_on
SELECT schemamig.add_revision('a1', '', 'SELECT 1', 'SELECT 1', '{}', '{lib}');
SELECT schemamig.add_revision('a2', '', 'SELECT 1', 'SELECT 1', '{a1}');
SELECT schemamig.add_revision('a3', '', 'SELECT 1', 'SELECT 1', '{a2}');
SELECT schemamig.add_revision('b1', '', 'SELECT 1', 'SELECT 1', '{}', '{app}');
SELECT schemamig.add_revision('b2', '', 'SELECT 1', 'SELECT 1', '{b1}', '{}', '{a2}');
SELECT schemamig.stamp(ARRAY['b2'], purge => true);
SELECT revision FROM schemamig.current();
TABLE schemamig.version;
SELECT schemamig.stamp(ARRAY['a3', 'b2'], purge => true);
SELECT revision FROM schemamig.current();

-- depends_on: a unique prefix (four characters or more) is stored as the full id
SELECT schemamig.add_revision('9b8c7d6e5f4a', '', 'SELECT 1', 'SELECT 1', '{}');
SELECT schemamig.add_revision('9b8c11112222', '', 'SELECT 1', 'SELECT 1', '{}');
SELECT schemamig.add_revision('c0ffee123456', '', 'SELECT 1', 'SELECT 1', '{}', '{}', '{9b8c7}');
SELECT depends_on FROM schemamig.show('c0ffee123456');
-- a label is kept as written; an ambiguous or unknown prefix is refused
SELECT schemamig.add_revision('d0d0d0', '', 'SELECT 1', 'SELECT 1', '{}', '{}', '{lib}');
SELECT depends_on FROM schemamig.show('d0d0d0');
SELECT schemamig.add_revision('e0e0e0', '', 'SELECT 1', 'SELECT 1', '{}', '{}', '{9b8c}');
SELECT schemamig.add_revision('e0e0e0', '', 'SELECT 1', 'SELECT 1', '{}', '{}', '{zzzz}');
SELECT schemamig.add_revision('e0e0e0', '', 'SELECT 1', 'SELECT 1', '{}', '{}', '{9b}');
DROP EXTENSION pg_schemamig CASCADE;
