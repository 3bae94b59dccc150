-- The drift log: DDL on tracked schemas that pg_schemamig did not run.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

CREATE SCHEMA app;
CREATE TABLE app.t (id integer PRIMARY KEY);
ALTER TABLE app.t ADD COLUMN v text;
CREATE INDEX t_v ON app.t (v);
COMMENT ON TABLE app.t IS 'logged too';
DROP INDEX app.t_v;
CREATE VIEW app.tv AS SELECT id FROM app.t;
DROP TABLE app.t CASCADE;
SELECT id, role = current_user AS by_me, application_name, command_tag, object_type,
       object_identity, schema_name, statement, acknowledged
  FROM schemamig.drift ORDER BY id;
SELECT count(*) AS rows_with_time FROM schemamig.drift WHERE logged_at <= clock_timestamp();

-- temporary objects are ignored
SELECT count(*) AS before FROM schemamig.drift \gset
CREATE TEMP TABLE tmp_t (x integer PRIMARY KEY);
CREATE INDEX ON tmp_t (x);
CREATE TABLE pg_temp.tmp_u (x integer);
CREATE TEMP VIEW tmp_v AS SELECT x FROM tmp_t;
CREATE FUNCTION pg_temp.tmp_f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
ALTER TABLE tmp_t ADD COLUMN y text;
DROP TABLE tmp_t CASCADE;
DROP TABLE pg_temp.tmp_u;
SELECT count(*) - :before AS logged_for_temp_objects FROM schemamig.drift;

-- refreshing a materialized view is not a schema change
CREATE MATERIALIZED VIEW public.mv AS SELECT 1 AS one;
SELECT max(id) AS before FROM schemamig.drift \gset
REFRESH MATERIALIZED VIEW public.mv;
SELECT count(*) AS logged_for_refresh FROM schemamig.drift WHERE id > :before;
DROP MATERIALIZED VIEW public.mv;
SELECT max(id) AS before FROM schemamig.drift \gset

-- pg_schemamig's own schema is not tracked; DDL in other schemas is
CREATE TABLE schemamig.scratch (x integer);
DROP TABLE schemamig.scratch;
CREATE TABLE public.pub (x integer);
SELECT command_tag, object_identity FROM schemamig.drift WHERE id > :before ORDER BY id;

-- GRANT and REVOKE are logged, without an object the event data does not name
GRANT SELECT ON public.pub TO PUBLIC;
REVOKE SELECT ON public.pub FROM PUBLIC;
SELECT command_tag, object_type, object_identity, schema_name
  FROM schemamig.drift WHERE command_tag IN ('GRANT', 'REVOKE') ORDER BY id;

-- objects created by an extension script are not logged, the extension is
SELECT max(id) AS before FROM schemamig.drift \gset
CREATE EXTENSION btree_gist SCHEMA app;
DROP EXTENSION btree_gist;
SELECT command_tag, object_type, object_identity FROM schemamig.drift WHERE id > :before ORDER BY id;

-- schemamig.tracked_schemas limits the log to the named schemas
CREATE SCHEMA other;
SELECT max(id) AS before FROM schemamig.drift \gset
SET schemamig.tracked_schemas = 'other, "Mixed Case"';
CREATE TABLE app.untracked (x integer);
CREATE TABLE other.tracked (x integer);
CREATE SCHEMA "Mixed Case";
CREATE TABLE "Mixed Case"."T" (x integer);
CREATE EXTENSION btree_gist SCHEMA app;
DROP EXTENSION btree_gist;
DROP SCHEMA "Mixed Case" CASCADE;
RESET schemamig.tracked_schemas;
-- a list that does not parse is refused, so it can never break DDL
SET schemamig.tracked_schemas = '"unterminated';
SELECT command_tag, object_type, object_identity, schema_name
  FROM schemamig.drift WHERE id > :before ORDER BY id;

-- DDL run by pg_schemamig itself is not drift: upgrade, downgrade, and
-- offline scripts (which set schemamig.offline_script)
SELECT max(id) AS before FROM schemamig.drift \gset
SELECT schemamig.add_revision('r1', 'migrated table',
    'CREATE TABLE app.migrated (x integer); CREATE INDEX migrated_x ON app.migrated (x);',
    'DROP TABLE app.migrated;') AS added;
SET client_min_messages = warning;
SELECT revision, direction FROM schemamig.upgrade('head');
SELECT revision, direction FROM schemamig.downgrade('base');
RESET client_min_messages;
BEGIN;
SET LOCAL schemamig.offline_script = on;
CREATE TABLE app.offline (x integer);
DROP TABLE app.offline;
COMMIT;
SELECT count(*) AS logged_for_migrations FROM schemamig.drift WHERE id > :before;
-- the same DDL by hand is drift
CREATE TABLE app.migrated (x integer);
DROP TABLE app.migrated;
SELECT command_tag, object_identity FROM schemamig.drift WHERE id > :before ORDER BY id;

-- a role without any right on schemamig is logged and cannot touch the log
CREATE ROLE regress_drift_user;
GRANT CREATE, USAGE ON SCHEMA app TO regress_drift_user;
SELECT max(id) AS before FROM schemamig.drift \gset
SET ROLE regress_drift_user;
CREATE TABLE app.theirs (x integer);
ALTER TABLE app.theirs ADD COLUMN y integer;
DROP TABLE app.theirs;
INSERT INTO schemamig.drift (role, command_tag) VALUES ('someone', 'CREATE TABLE');
UPDATE schemamig.drift SET acknowledged = true;
DELETE FROM schemamig.drift;
TRUNCATE schemamig.drift;
SELECT schemamig.acknowledge_drift();
SELECT schemamig.drift_ddl_command_end();
SET schemamig.tracked_schemas = 'nothing';
ALTER EVENT TRIGGER schemamig_drift_ddl DISABLE;
SELECT count(*) > 0 AS can_read FROM schemamig.drift;
RESET ROLE;
SELECT role, command_tag, object_identity FROM schemamig.drift WHERE id > :before ORDER BY id;

-- the trigger functions cannot be called directly
SELECT schemamig.drift_ddl_command_end();
SELECT schemamig.drift_sql_drop();

-- acknowledge_drift marks rows up to an id, then all the rest
SELECT count(*) AS unacknowledged FROM schemamig.drift WHERE NOT acknowledged;
SELECT schemamig.acknowledge_drift(3) AS marked;
SELECT schemamig.acknowledge_drift(3) AS marked_again;
SELECT id, acknowledged, acknowledged_by = current_user AS by_me, acknowledged_at IS NOT NULL AS has_time
  FROM schemamig.drift WHERE id <= 4 ORDER BY id;
SELECT schemamig.acknowledge_drift() = count(*) AS marked_rest
  FROM schemamig.drift WHERE id > 3;
SELECT count(*) AS unacknowledged FROM schemamig.drift WHERE NOT acknowledged;

-- DDL fails for its own reasons, never because of the log
CREATE TABLE app.t2 (x integer);
CREATE TABLE app.t2 (x integer);
BEGIN;
CREATE TABLE app.t3 (x integer);
ROLLBACK;
SELECT count(*) AS logged_rolled_back FROM schemamig.drift WHERE object_identity = 'app.t3';

-- dropping the extension drops the log quietly, and DDL goes on working
DROP EXTENSION pg_schemamig CASCADE;
CREATE TABLE app.after (x integer);
DROP SCHEMA app, other CASCADE;
DROP TABLE public.pub;
DROP ROLE regress_drift_user;
