-- Snapshots recorded by upgrade, downgrade, upgrade_each and stamp keep
-- check() quiet; hand-made changes in between are reported.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
SET client_min_messages = warning;

SELECT schemamig.add_revision('a1', 'table', 'CREATE TABLE public.da (x integer)',
                              'DROP TABLE public.da', '{}') AS added;
SELECT schemamig.add_revision('a2', 'column', 'ALTER TABLE public.da ADD COLUMN y text',
                              'ALTER TABLE public.da DROP COLUMN y') AS added;
SELECT revision, direction FROM schemamig.upgrade('head');
SELECT severity, problem FROM schemamig.check();
SELECT heads, fingerprint = schemamig.fingerprint() AS matches_live FROM schemamig.snapshot ORDER BY id;

-- by hand
ALTER TABLE public.da ADD COLUMN z integer;
SELECT severity, problem FROM schemamig.check();
ALTER TABLE public.da DROP COLUMN z;
SELECT schemamig.acknowledge_drift() AS acknowledged;
SELECT severity, problem FROM schemamig.check();

-- downgrade records the schema of the heads it reaches
SELECT revision, direction FROM schemamig.downgrade('-1');
SELECT severity, problem FROM schemamig.check();
SELECT heads, fingerprint = schemamig.fingerprint() AS matches_live
  FROM schemamig.snapshot ORDER BY id DESC LIMIT 1;

-- upgrade_each, one transaction per revision
CALL schemamig.upgrade_each('head');
SELECT severity, problem FROM schemamig.check();

-- an intended change by hand brought into the history: register it, stamp it
ALTER TABLE public.da ADD COLUMN note text;
SELECT schemamig.add_revision('a3', 'note', 'ALTER TABLE public.da ADD COLUMN note text',
                              'ALTER TABLE public.da DROP COLUMN note') AS added;
SELECT severity, problem FROM schemamig.check();
SELECT count(*) AS stamped FROM schemamig.stamp('a3');
SELECT schemamig.acknowledge_drift() AS acknowledged;
SELECT severity, problem FROM schemamig.check();

SELECT revision, direction FROM schemamig.downgrade('base');
SELECT severity, problem FROM schemamig.check();
SELECT to_regclass('public.da') AS table_left;

RESET client_min_messages;
DROP EXTENSION pg_schemamig CASCADE;
