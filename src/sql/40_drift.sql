-------------------------------------------------------------------------------
-- Drift (introspect.c, drift.c)
-------------------------------------------------------------------------------

CREATE SEQUENCE schemamig.drift_id_seq;
CREATE TABLE schemamig.drift (
    id              bigint NOT NULL DEFAULT pg_catalog.nextval('schemamig.drift_id_seq'),
    logged_at       timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    role            name NOT NULL,
    application_name text NOT NULL DEFAULT '',
    command_tag     text NOT NULL,
    object_type     text,
    object_identity text,
    schema_name     text,
    statement       text,
    acknowledged    boolean NOT NULL DEFAULT false,
    acknowledged_at timestamptz,
    acknowledged_by name
);
-- Not unique on purpose: a plain restore of a dump logs the restore's own DDL
-- before the dumped rows come back, and both must fit (see docs/drift.md).
-- The event triggers write rows directly and maintain plain indexes only.
CREATE INDEX drift_id ON schemamig.drift (id);
COMMENT ON TABLE schemamig.drift IS 'DDL on tracked schemas that did not come through pg_schemamig';

CREATE SEQUENCE schemamig.snapshot_id_seq;
CREATE TABLE schemamig.snapshot (
    id              bigint PRIMARY KEY DEFAULT pg_catalog.nextval('schemamig.snapshot_id_seq'),
    heads           text[] NOT NULL,
    schemas         text[],
    fingerprint     text NOT NULL,
    algorithm       text NOT NULL,
    taken_at        timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    taken_by        name NOT NULL DEFAULT CURRENT_USER
);
CREATE INDEX snapshot_heads ON schemamig.snapshot (heads, id);
COMMENT ON TABLE schemamig.snapshot IS 'fingerprint of the tracked schemas (schemas NULL: every non-system schema) recorded at the given heads (sorted)';

SELECT pg_catalog.pg_extension_config_dump('schemamig.drift', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.drift_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.snapshot', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.snapshot_id_seq', '');

REVOKE ALL ON schemamig.drift, schemamig.snapshot FROM PUBLIC;
REVOKE ALL ON SEQUENCE schemamig.drift_id_seq, schemamig.snapshot_id_seq FROM PUBLIC;
GRANT SELECT ON schemamig.drift, schemamig.snapshot TO PUBLIC;

CREATE FUNCTION schemamig.describe(schemas text[] DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'schemamig_describe'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.describe(text[]) IS
  'canonical description of the given schemas (default: every non-system schema), independent of OIDs and creation order';

CREATE FUNCTION schemamig.fingerprint(schemas text[] DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_fingerprint'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.fingerprint(text[]) IS
  'SHA-256 (hex) of describe(schemas)';

CREATE FUNCTION schemamig.snapshot()
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_snapshot'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.snapshot() IS
  'records the fingerprint of the tracked schemas as the expected schema of the current heads, and returns it';
REVOKE EXECUTE ON FUNCTION schemamig.snapshot() FROM PUBLIC;

CREATE FUNCTION schemamig.acknowledge_drift(upto_id bigint DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'schemamig_acknowledge_drift'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.acknowledge_drift(bigint) IS
  'marks unacknowledged drift rows (all, or those with id <= upto_id) as seen; returns how many';
REVOKE EXECUTE ON FUNCTION schemamig.acknowledge_drift(bigint) FROM PUBLIC;

CREATE FUNCTION schemamig.check()
RETURNS TABLE(severity text, problem text, detail text)
AS 'MODULE_PATHNAME', 'schemamig_check'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.check() IS
  'graph problems, changed checksums, unacknowledged drift and a live schema that differs from the snapshot of the current heads';

-- The event-trigger functions write schemamig.drift for any role that runs
-- DDL.  They run no query and resolve no name: they read the event data and
-- insert the rows from C, which checks no privilege, so they need neither
-- SECURITY DEFINER nor a search_path; PUBLIC still cannot write the table.
CREATE FUNCTION schemamig.drift_ddl_command_end()
RETURNS event_trigger
AS 'MODULE_PATHNAME', 'schemamig_drift_ddl_command_end'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.drift_ddl_command_end() IS
  'event trigger: logs DDL on tracked schemas that pg_schemamig did not run';
REVOKE EXECUTE ON FUNCTION schemamig.drift_ddl_command_end() FROM PUBLIC;

CREATE FUNCTION schemamig.drift_sql_drop()
RETURNS event_trigger
AS 'MODULE_PATHNAME', 'schemamig_drift_sql_drop'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.drift_sql_drop() IS
  'event trigger: logs objects dropped from tracked schemas outside pg_schemamig';
REVOKE EXECUTE ON FUNCTION schemamig.drift_sql_drop() FROM PUBLIC;

CREATE EVENT TRIGGER schemamig_drift_ddl ON ddl_command_end
  EXECUTE FUNCTION schemamig.drift_ddl_command_end();
CREATE EVENT TRIGGER schemamig_drift_drop ON sql_drop
  EXECUTE FUNCTION schemamig.drift_sql_drop();

CREATE FUNCTION schemamig._citus_shard(rel oid)
RETURNS boolean
AS 'MODULE_PATHNAME', 'schemamig_citus_shard'
LANGUAGE C STRICT STABLE PARALLEL SAFE;
COMMENT ON FUNCTION schemamig._citus_shard(oid) IS
  'whether a relation is a Citus shard (always false where Citus is not installed); describe() leaves shards out';
