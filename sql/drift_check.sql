-- check(): graph problems, checksums, drift rows and schema drift.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

-- nothing registered, nothing applied: nothing to report
SELECT * FROM schemamig.check();

-- A registered and applied history a <- b (the catalog is written directly
-- here; add_revision and upgrade are tested with the revision graph).
INSERT INTO schemamig.revision (id, down_revisions, upgrade_sql, downgrade_sql, checksum, checksum_algorithm)
SELECT id, down, up, down_sql, schemamig.checksum(up, down_sql), 'pgtok-sha256-v1'
  FROM (VALUES ('a', '{}'::text[], 'CREATE TABLE public.ta (x integer)', 'DROP TABLE public.ta'),
               ('b', '{a}', 'CREATE TABLE public.tb (x integer)', 'DROP TABLE public.tb')) v(id, down, up, down_sql);
INSERT INTO schemamig.version VALUES ('b', 1);
CREATE TABLE public.ta (x integer);
CREATE TABLE public.tb (x integer);
CREATE ROLE regress_drift_check;
GRANT CREATE ON SCHEMA public TO regress_drift_check;
SELECT schemamig.acknowledge_drift() AS acknowledged;

-- heads without a snapshot
SELECT * FROM schemamig.check();
SELECT length(schemamig.snapshot()) AS snapshot_taken;
SELECT heads, schemas, algorithm, fingerprint = schemamig.fingerprint() AS fingerprint_matches
  FROM schemamig.snapshot ORDER BY id;
SELECT * FROM schemamig.check();

-- DDL by hand: a drift row and a schema that differs from the snapshot
SET ROLE regress_drift_check;
CREATE TABLE public.by_hand (x integer);
RESET ROLE;
SELECT * FROM schemamig.check();
SELECT schemamig.acknowledge_drift() AS acknowledged;
SELECT * FROM schemamig.check();
-- undoing the change by hand brings the fingerprint back
DROP TABLE public.by_hand;
SELECT schemamig.acknowledge_drift() AS acknowledged;
SELECT * FROM schemamig.check();

-- a change made while the event triggers were disabled is still caught
ALTER EVENT TRIGGER schemamig_drift_ddl DISABLE;
ALTER TABLE public.tb ADD COLUMN sneaky text;
ALTER EVENT TRIGGER schemamig_drift_ddl ENABLE;
SELECT * FROM schemamig.check();
-- an intended change: take a new snapshot of the current heads
SELECT length(schemamig.snapshot()) AS snapshot_taken;
SELECT * FROM schemamig.check();

-- the snapshot covers the schemas tracked when it was taken
SET schemamig.tracked_schemas = 'public';
SELECT length(schemamig.snapshot()) AS snapshot_taken;
RESET schemamig.tracked_schemas;
SELECT heads, schemas FROM schemamig.snapshot ORDER BY id DESC LIMIT 1;
CREATE SCHEMA elsewhere;
SELECT schemamig.acknowledge_drift() AS acknowledged;
SELECT * FROM schemamig.check();
DROP SCHEMA elsewhere;
SELECT schemamig.acknowledge_drift() AS acknowledged;

-- a snapshot from another fingerprint algorithm is not compared
UPDATE schemamig.snapshot SET algorithm = 'describe-v0-sha256';
SELECT * FROM schemamig.check();
SELECT length(schemamig.snapshot()) AS snapshot_taken;

-- the SQL of a revision changed in the catalog (its checksum did not)
UPDATE schemamig.revision SET upgrade_sql = 'CREATE TABLE public.ta (x bigint)' WHERE id = 'a';
SELECT * FROM schemamig.check();
-- formatting and comments do not count
UPDATE schemamig.revision SET upgrade_sql = E'create  table public.ta\n(x integer) -- same' WHERE id = 'a';
SELECT * FROM schemamig.check();

-- a revision applied with another checksum than it has now
INSERT INTO schemamig.log (revision, direction, heads_before, heads_after, started_at, duration, role, checksum, backend_pid)
VALUES ('b', 'upgrade', '{a}', '{b}', now(), '0', current_user, 'not-the-checksum', 0);
SELECT * FROM schemamig.check();
-- a later downgrade of it: no longer applied, nothing to compare
INSERT INTO schemamig.log (revision, direction, heads_before, heads_after, started_at, duration, role, checksum, backend_pid)
VALUES ('b', 'downgrade', '{b}', '{a}', now(), '0', current_user, 'not-the-checksum', 0);
SELECT * FROM schemamig.check();
DELETE FROM schemamig.log;

-- several heads
INSERT INTO schemamig.revision (id, down_revisions, upgrade_sql, checksum, checksum_algorithm)
VALUES ('c', '{a}', 'SELECT 1', schemamig.checksum('SELECT 1'), 'pgtok-sha256-v1');
SELECT * FROM schemamig.check();

-- unknown parents and dependencies (a depends_on may name a branch label)
UPDATE schemamig.revision SET branch_labels = '{feature}' WHERE id = 'c';
INSERT INTO schemamig.revision (id, down_revisions, depends_on, upgrade_sql, checksum, checksum_algorithm)
VALUES ('d', '{c, nosuch}', '{feature, gone}', 'SELECT 1', schemamig.checksum('SELECT 1'), 'pgtok-sha256-v1');
SELECT * FROM schemamig.check();
DELETE FROM schemamig.revision WHERE id = 'd';

-- a cycle
INSERT INTO schemamig.revision (id, down_revisions, upgrade_sql, checksum, checksum_algorithm)
VALUES ('e', '{f}', 'SELECT 1', schemamig.checksum('SELECT 1'), 'pgtok-sha256-v1'),
       ('f', '{e}', 'SELECT 1', schemamig.checksum('SELECT 1'), 'pgtok-sha256-v1');
SELECT * FROM schemamig.check();

DELETE FROM schemamig.revision WHERE id IN ('e', 'f');

-- anything else the revision graph refuses
UPDATE schemamig.revision SET branch_labels = '{b}' WHERE id = 'c';
SELECT * FROM schemamig.check();

-- snapshot() and acknowledge_drift() are not for PUBLIC
SET ROLE regress_drift_check;
SELECT schemamig.snapshot();
SELECT schemamig.acknowledge_drift();
RESET ROLE;
REVOKE CREATE ON SCHEMA public FROM regress_drift_check;
DROP ROLE regress_drift_check;

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE public.ta, public.tb;
