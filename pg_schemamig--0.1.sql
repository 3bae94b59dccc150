/* pg_schemamig--0.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_schemamig" to load this file. \quit

/*
 * The schema is created here, so it is a member of the extension and goes
 * away with DROP EXTENSION.  Every object below is schema-qualified.
 */
CREATE SCHEMA schemamig;
REVOKE ALL ON SCHEMA schemamig FROM PUBLIC;
GRANT USAGE ON SCHEMA schemamig TO PUBLIC;
COMMENT ON SCHEMA schemamig IS 'pg_schemamig: revisions, version table, migration log, drift';

-------------------------------------------------------------------------------
-- Catalog
-------------------------------------------------------------------------------

CREATE SEQUENCE schemamig.revision_seq;
CREATE TABLE schemamig.revision (
    id              text PRIMARY KEY
                    CONSTRAINT revision_id_syntax CHECK (id OPERATOR(pg_catalog.~) '^[A-Za-z0-9_]{1,64}$'),
    seq             bigint NOT NULL UNIQUE DEFAULT pg_catalog.nextval('schemamig.revision_seq'),
    message         text NOT NULL DEFAULT '',
    down_revisions  text[] NOT NULL DEFAULT '{}',
    branch_labels   text[] NOT NULL DEFAULT '{}',
    depends_on      text[] NOT NULL DEFAULT '{}',
    upgrade_sql     text NOT NULL,
    downgrade_sql   text,
    transactional   boolean NOT NULL DEFAULT true,
    checksum        text NOT NULL,
    checksum_algorithm text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    created_by      name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE schemamig.revision IS 'the script directory: one row per registered revision, in registration order (seq)';

CREATE TABLE schemamig.version (
    revision        text PRIMARY KEY,
    position        bigint NOT NULL
);
COMMENT ON TABLE schemamig.version IS 'the applied heads, with alembic_version semantics; position keeps the table order';

CREATE SEQUENCE schemamig.log_id_seq;
CREATE TABLE schemamig.log (
    id              bigint PRIMARY KEY DEFAULT pg_catalog.nextval('schemamig.log_id_seq'),
    revision        text,
    direction       text NOT NULL
                    CONSTRAINT log_direction CHECK (direction OPERATOR(pg_catalog.=) ANY (ARRAY['upgrade', 'downgrade', 'stamp'])),
    heads_before    text[] NOT NULL,
    heads_after     text[] NOT NULL,
    started_at      timestamptz NOT NULL,
    duration        interval NOT NULL,
    role            name NOT NULL,
    checksum        text,
    backend_pid     integer NOT NULL
);
COMMENT ON TABLE schemamig.log IS 'one row per applied step (upgrade, downgrade or stamp)';

SELECT pg_catalog.pg_extension_config_dump('schemamig.revision', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.revision_seq', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.version', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.log', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.log_id_seq', '');

-- The catalog is written only through the functions below.
REVOKE ALL ON ALL TABLES IN SCHEMA schemamig FROM PUBLIC;
GRANT SELECT ON schemamig.revision, schemamig.version, schemamig.log TO PUBLIC;

-------------------------------------------------------------------------------
-- Library
-------------------------------------------------------------------------------

CREATE FUNCTION schemamig.library_version()
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_library_version'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION schemamig.library_version() IS 'version of the loaded pg_schemamig library';

CREATE FUNCTION schemamig.checksum(upgrade_sql text, downgrade_sql text DEFAULT NULL,
                                   transactional boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_checksum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION schemamig.checksum(text, text, boolean) IS
  'checksum of a revision''s SQL over PostgreSQL''s token stream (whitespace and comments do not count)';

-------------------------------------------------------------------------------
-- Revision graph (revisions.c, graph.c, target.c)
-------------------------------------------------------------------------------
-- @@GRAPH@@

CREATE FUNCTION schemamig.add_revision(id text, message text, upgrade_sql text,
                                       downgrade_sql text DEFAULT NULL,
                                       down_revisions text[] DEFAULT NULL,
                                       branch_labels text[] DEFAULT '{}',
                                       depends_on text[] DEFAULT '{}',
                                       transactional boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_add_revision'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.add_revision(text, text, text, text, text[], text[], text[], boolean) IS
  'registers a revision (NULL id: a generated one; NULL down_revisions: the current head; ''{}'': a new base); returns its id';

CREATE FUNCTION schemamig.merge(revisions text[] DEFAULT NULL, message text DEFAULT 'merge',
                                id text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_merge'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.merge(text[], text, text) IS
  'registers an empty merge revision over the given revisions (default: all heads); returns its id';

CREATE FUNCTION schemamig.remove_revision(id text)
RETURNS void
AS 'MODULE_PATHNAME', 'schemamig_remove_revision'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.remove_revision(text) IS
  'unregisters a revision that is not applied and that no other revision builds on';

CREATE FUNCTION schemamig.heads(resolve_dependencies boolean DEFAULT false)
RETURNS TABLE (revision text, message text, down_revisions text[], next_revisions text[],
        branch_labels text[], depends_on text[], is_head boolean, is_base boolean,
        is_branch_point boolean, is_merge_point boolean)
AS 'MODULE_PATHNAME', 'schemamig_heads'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.heads(boolean) IS
  'revisions without children (with resolve_dependencies: also without dependents), in registration order';

CREATE FUNCTION schemamig.bases(resolve_dependencies boolean DEFAULT false)
RETURNS TABLE (revision text, message text, down_revisions text[], next_revisions text[],
        branch_labels text[], depends_on text[], is_head boolean, is_base boolean,
        is_branch_point boolean, is_merge_point boolean)
AS 'MODULE_PATHNAME', 'schemamig_bases'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.bases(boolean) IS
  'revisions without down revisions (with resolve_dependencies: also without dependencies), in registration order';

CREATE FUNCTION schemamig.branches()
RETURNS TABLE (revision text, message text, down_revisions text[], next_revisions text[],
        branch_labels text[], depends_on text[], is_head boolean, is_base boolean,
        is_branch_point boolean, is_merge_point boolean)
AS 'MODULE_PATHNAME', 'schemamig_branches'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.branches() IS 'branch points (revisions with several children), newest first';

CREATE FUNCTION schemamig.current()
RETURNS TABLE (revision text, message text, down_revisions text[], next_revisions text[],
        branch_labels text[], depends_on text[], is_head boolean, is_base boolean,
        is_branch_point boolean, is_merge_point boolean)
AS 'MODULE_PATHNAME', 'schemamig_current'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.current() IS 'the revisions in the version table, in table order';

CREATE FUNCTION schemamig.history(range text DEFAULT NULL)
RETURNS TABLE (revision text, message text, down_revisions text[], next_revisions text[],
        branch_labels text[], depends_on text[], is_head boolean, is_base boolean,
        is_branch_point boolean, is_merge_point boolean)
AS 'MODULE_PATHNAME', 'schemamig_history'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.history(text) IS
  'revisions newest first, optionally limited to a range "start:end" as in alembic history -r';

CREATE FUNCTION schemamig.show(target text)
RETURNS TABLE (revision text, message text, down_revisions text[], next_revisions text[],
        branch_labels text[], depends_on text[], is_head boolean, is_base boolean,
        is_branch_point boolean, is_merge_point boolean)
AS 'MODULE_PATHNAME', 'schemamig_show'
LANGUAGE C STRICT STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.show(text) IS
  'the revisions a target names: heads gives several, base none';

CREATE FUNCTION schemamig.stamp(target text, purge boolean DEFAULT false)
RETURNS text[]
AS 'MODULE_PATHNAME', 'schemamig_stamp'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.stamp(text, boolean) IS
  'sets the version table to a target without running SQL (purge: empty it first); returns the new heads';

CREATE FUNCTION schemamig.stamp(targets text[], purge boolean DEFAULT false)
RETURNS text[]
AS 'MODULE_PATHNAME', 'schemamig_stamp_many'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.stamp(text[], boolean) IS
  'sets the version table to several targets without running SQL (purge: empty it first); returns the new heads';

REVOKE EXECUTE ON FUNCTION schemamig.add_revision(text, text, text, text, text[], text[], text[], boolean),
                           schemamig.merge(text[], text, text),
                           schemamig.remove_revision(text),
                           schemamig.stamp(text, boolean),
                           schemamig.stamp(text[], boolean)
  FROM PUBLIC;

-------------------------------------------------------------------------------
-- Applying (apply.c, offline.c)
-------------------------------------------------------------------------------
-- @@APPLY@@

CREATE FUNCTION schemamig.upgrade(target text DEFAULT 'head')
RETURNS TABLE (revision text, direction text, message text, duration interval)
AS 'MODULE_PATHNAME', 'schemamig_upgrade'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.upgrade(text) IS
  'applies every revision needed to reach target, in the caller''s transaction (all or nothing)';

CREATE FUNCTION schemamig.downgrade(target text)
RETURNS TABLE (revision text, direction text, message text, duration interval)
AS 'MODULE_PATHNAME', 'schemamig_downgrade'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.downgrade(text) IS
  'reverts revisions down to target, in the caller''s transaction (all or nothing)';

CREATE FUNCTION schemamig._each_steps(target text, upgrade boolean)
RETURNS TABLE (revision text, heads_before text[], heads_after text[])
AS 'MODULE_PATHNAME', 'schemamig_each_steps'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._each_steps(text, boolean) IS
  'internal: the revisions upgrade_each/downgrade_each will apply, in order, with the version table before and after each';

CREATE FUNCTION schemamig._apply_step(revision text, upgrade boolean,
                                      heads_before text[] DEFAULT NULL, heads_after text[] DEFAULT NULL)
RETURNS boolean
AS 'MODULE_PATHNAME', 'schemamig_apply_step'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._apply_step(text, boolean, text[], text[]) IS
  'internal: applies one revision unless a concurrent caller already did';

/*
 * One transaction per revision.  A revision that fails on a lock timeout
 * is retried up to schemamig.lock_retries times with exponential backoff;
 * its failed attempt is rolled back by the exception block, which also
 * releases the catalog lock while it waits.  No SET clause: a procedure
 * with one cannot commit, so every name below is schema-qualified.
 */
CREATE PROCEDURE schemamig._each(target text, upgrade boolean)
LANGUAGE plpgsql
AS $$
DECLARE
    step record;
    rev text;
    attempt integer;
    applied boolean := false;
BEGIN
    FOR step IN SELECT * FROM schemamig._each_steps(target, upgrade) LOOP
        rev := step.revision;
        applied := true;
        attempt := 0;
        LOOP
            BEGIN
                PERFORM schemamig._apply_step(rev, upgrade, step.heads_before, step.heads_after);
                EXIT;
            EXCEPTION WHEN lock_not_available THEN
                attempt := attempt OPERATOR(pg_catalog.+) 1;
                IF attempt OPERATOR(pg_catalog.>) pg_catalog.current_setting('schemamig.lock_retries')::pg_catalog.int4 THEN
                    RAISE;
                END IF;
                RAISE NOTICE 'revision % could not get a lock, retry % of %', rev, attempt,
                    pg_catalog.current_setting('schemamig.lock_retries');
                PERFORM pg_catalog.pg_sleep(LEAST(0.1 OPERATOR(pg_catalog.*) (2 OPERATOR(pg_catalog.^) attempt), 10));
            END;
        END LOOP;
        COMMIT;
    END LOOP;
    -- one schema snapshot for the heads reached (a fingerprint per revision
    -- would cost a whole-schema description per commit)
    IF applied THEN
        PERFORM schemamig.snapshot();
        COMMIT;
    END IF;
END
$$;
COMMENT ON PROCEDURE schemamig._each(text, boolean) IS
  'internal: the body of upgrade_each and downgrade_each';

CREATE PROCEDURE schemamig.upgrade_each(target text DEFAULT 'head')
LANGUAGE plpgsql
AS $$ BEGIN CALL schemamig._each(target, true); END $$;
COMMENT ON PROCEDURE schemamig.upgrade_each(text) IS
  'applies revisions up to target, one transaction per revision, retrying lock timeouts';

CREATE PROCEDURE schemamig.downgrade_each(target text)
LANGUAGE plpgsql
AS $$ BEGIN CALL schemamig._each(target, false); END $$;
COMMENT ON PROCEDURE schemamig.downgrade_each(text) IS
  'reverts revisions down to target, one transaction per revision, retrying lock timeouts';

CREATE FUNCTION schemamig.plan(target text)
RETURNS TABLE (step integer, revision text, direction text, statement text, transactional boolean)
AS 'MODULE_PATHNAME', 'schemamig_plan'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.plan(text) IS
  'the steps to reach target as executable statements, bookkeeping included (psql: \gexec)';

CREATE FUNCTION schemamig._begin_step(revision text, direction text, statements integer)
RETURNS void
AS 'MODULE_PATHNAME', 'schemamig_begin_step'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._begin_step(text, text, integer) IS
  'internal: opens a plan step (plan() rows call it)';

CREATE FUNCTION schemamig._end_step(revision text, direction text)
RETURNS void
AS 'MODULE_PATHNAME', 'schemamig_end_step'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._end_step(text, text) IS
  'internal: records a plan step whose statements all completed (plan() rows call it)';

CREATE FUNCTION schemamig.upgrade_sql(target text DEFAULT 'head', from_rev text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_upgrade_sql'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.upgrade_sql(text, text) IS
  'offline mode: the psql script that upgrades to target from from_rev (default: the current heads)';

CREATE FUNCTION schemamig.downgrade_sql(target text, from_rev text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_downgrade_sql'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.downgrade_sql(text, text) IS
  'offline mode: the psql script that downgrades to target from from_rev (default: the current heads)';

REVOKE EXECUTE ON FUNCTION schemamig.upgrade(text), schemamig.downgrade(text),
    schemamig._each_steps(text, boolean), schemamig._apply_step(text, boolean, text[], text[]),
    schemamig._begin_step(text, text, integer), schemamig._end_step(text, text),
    schemamig.plan(text), schemamig.upgrade_sql(text, text), schemamig.downgrade_sql(text, text)
    FROM PUBLIC;
REVOKE EXECUTE ON PROCEDURE schemamig._each(text, boolean), schemamig.upgrade_each(text),
    schemamig.downgrade_each(text) FROM PUBLIC;

-------------------------------------------------------------------------------
-- Drift (introspect.c, drift.c)
-------------------------------------------------------------------------------
-- @@DRIFT@@

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

-------------------------------------------------------------------------------
-- Review (lint.c)
-------------------------------------------------------------------------------
-- @@LINT@@

CREATE FUNCTION schemamig.lint(sql text)
RETURNS TABLE(severity text, rule text, statement integer, location integer,
              message text, hint text)
AS 'MODULE_PATHNAME', 'schemamig_lint'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.lint(text) IS
  'safety review of migration SQL with PostgreSQL''s parser and live catalog facts (table sizes, existing constraints)';

CREATE FUNCTION schemamig.review(revision text)
RETURNS TABLE(direction text, severity text, rule text, statement integer,
              location integer, message text, hint text)
AS 'MODULE_PATHNAME', 'schemamig_review'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.review(text) IS
  'lint of both directions of a registered revision, plus reversibility and read-only data checks on live rows';

CREATE FUNCTION schemamig.rewrite_guard()
RETURNS event_trigger
AS 'MODULE_PATHNAME', 'schemamig_rewrite_guard'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.rewrite_guard() IS
  'table_rewrite event trigger: refuses, during a migration, to rewrite a table larger than schemamig.max_rewrite_size';
REVOKE EXECUTE ON FUNCTION schemamig.rewrite_guard() FROM PUBLIC;

CREATE EVENT TRIGGER schemamig_rewrite_guard ON table_rewrite
  EXECUTE FUNCTION schemamig.rewrite_guard();
