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

-------------------------------------------------------------------------------
-- Applying (apply.c, offline.c)
-------------------------------------------------------------------------------
-- @@APPLY@@

-------------------------------------------------------------------------------
-- Drift (introspect.c, drift.c)
-------------------------------------------------------------------------------
-- @@DRIFT@@

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
