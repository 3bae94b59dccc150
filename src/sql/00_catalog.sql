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
