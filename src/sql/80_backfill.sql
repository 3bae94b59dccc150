-------------------------------------------------------------------------------
-- Data migrations: batched backfills (backfill.c)
-------------------------------------------------------------------------------

/*
 * One row per backfill job, identified by table, set clause and where
 * clause.  last_key is the primary key (as text, one element per key column)
 * where the last finished batch ended; it is written in the same transaction
 * as that batch's UPDATE, so a rerun after a crash resumes exactly there.
 * Written only by schemamig.backfill, with the extension owner's rights.
 */
CREATE SEQUENCE schemamig.backfill_job_id_seq;
CREATE TABLE schemamig.backfill_job (
    id              bigint PRIMARY KEY DEFAULT pg_catalog.nextval('schemamig.backfill_job_id_seq'),
    relation        pg_catalog.regclass NOT NULL,
    set_clause      text NOT NULL,
    where_clause    text NOT NULL DEFAULT '',
    key_columns     text[] NOT NULL,
    last_key        text[],
    batches         bigint NOT NULL DEFAULT 0,
    rows_updated    bigint NOT NULL DEFAULT 0,
    started_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    started_by      name NOT NULL,
    updated_at      timestamptz,
    finished_at     timestamptz
);
CREATE UNIQUE INDEX backfill_job_identity ON schemamig.backfill_job
    (relation, pg_catalog.md5(set_clause), pg_catalog.md5(where_clause));
COMMENT ON TABLE schemamig.backfill_job IS
  'batched backfills: one row per (table, set clause, where clause), with the last key a committed batch reached';

SELECT pg_catalog.pg_extension_config_dump('schemamig.backfill_job', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.backfill_job_id_seq', '');

REVOKE ALL ON TABLE schemamig.backfill_job FROM PUBLIC;
REVOKE ALL ON SEQUENCE schemamig.backfill_job_id_seq FROM PUBLIC;
GRANT SELECT ON TABLE schemamig.backfill_job TO PUBLIC;

CREATE PROCEDURE schemamig.backfill(tab pg_catalog.regclass, set_clause text,
                                    where_clause text DEFAULT NULL,
                                    batch_size integer DEFAULT 10000,
                                    pause interval DEFAULT '0')
AS 'MODULE_PATHNAME', 'schemamig_backfill'
LANGUAGE C;
COMMENT ON PROCEDURE schemamig.backfill(pg_catalog.regclass, text, text, integer, interval) IS
  'UPDATE tab SET set_clause [WHERE where_clause] in batches of batch_size primary keys, committing each; resumable';

REVOKE EXECUTE ON PROCEDURE schemamig.backfill(pg_catalog.regclass, text, text, integer, interval) FROM PUBLIC;
