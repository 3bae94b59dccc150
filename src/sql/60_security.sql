-------------------------------------------------------------------------------
-- Privileges and safety (guard.c; docs/security.md)
-------------------------------------------------------------------------------

/*
 * The catalog generation.  Every mutating call increments it under the
 * catalog lock (guard.c); a REPEATABLE READ caller that cannot see the
 * latest generation is refused.  No privilege on it is granted to anyone.
 * Not dumped: CREATE EXTENSION makes it anew.
 */
CREATE TABLE schemamig.state (
    generation      bigint NOT NULL
);
INSERT INTO schemamig.state (generation) VALUES (0);
REVOKE ALL ON schemamig.state FROM PUBLIC;
COMMENT ON TABLE schemamig.state IS 'the catalog generation, incremented by every mutating call';

-- any other write to the revision table moves the generation on too
CREATE FUNCTION schemamig._revision_written()
RETURNS trigger
AS 'MODULE_PATHNAME', 'schemamig_revision_written'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._revision_written() IS
  'internal: statement trigger on schemamig.revision, moves the catalog generation on';
REVOKE EXECUTE ON FUNCTION schemamig._revision_written() FROM PUBLIC;
CREATE TRIGGER revision_written
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schemamig.revision
    FOR EACH STATEMENT EXECUTE FUNCTION schemamig._revision_written();
ALTER TABLE schemamig.revision ENABLE ALWAYS TRIGGER revision_written;

CREATE FUNCTION schemamig._session_lock(hold boolean)
RETURNS void
AS 'MODULE_PATHNAME', 'schemamig_session_lock'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._session_lock(boolean) IS
  'internal: takes (true) or releases (false) the catalog lock for the session, for clients that run plan() rows';
REVOKE EXECUTE ON FUNCTION schemamig._session_lock(boolean) FROM PUBLIC;

CREATE FUNCTION schemamig._lock()
RETURNS void
AS 'MODULE_PATHNAME', 'schemamig_lock'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._lock() IS
  'internal: takes the catalog lock for the transaction (offline scripts call it)';
REVOKE EXECUTE ON FUNCTION schemamig._lock() FROM PUBLIC;

CREATE FUNCTION schemamig.guard_drop_extension()
RETURNS event_trigger
AS 'MODULE_PATHNAME', 'schemamig_guard_drop_extension'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.guard_drop_extension() IS
  'event trigger: refuses DROP EXTENSION pg_schemamig while revisions are applied, unless schemamig.allow_drop_extension is on';
REVOKE EXECUTE ON FUNCTION schemamig.guard_drop_extension() FROM PUBLIC;

CREATE EVENT TRIGGER schemamig_guard_drop ON ddl_command_start
  WHEN TAG IN ('DROP EXTENSION')
  EXECUTE FUNCTION schemamig.guard_drop_extension();

/*
 * Drift ids stay unique across pg_dump and restore.  A restore logs its own
 * DDL as drift before the dumped rows come back with their old ids; when
 * the dumped rows have been copied in, the restore's rows that share an id
 * with one of them get new ids above every id (the event triggers then skip
 * ids in use, whatever the restored sequence says).  So acknowledge_drift(n)
 * never acknowledges a row its caller did not see.  Runs for rows inserted
 * by SQL (COPY in a restore); the event triggers insert from C.
 */
CREATE FUNCTION schemamig._drift_restored()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    clash record;
    fresh bigint;
BEGIN
    SELECT COALESCE(max(id), 0) INTO fresh FROM schemamig.drift;
    FOR clash IN
        SELECT d.ctid AS row_ctid FROM schemamig.drift d
         WHERE d.id IN (SELECT n.id FROM restored n)
           AND NOT EXISTS (SELECT FROM restored n
                            WHERE n.id = d.id AND n.logged_at = d.logged_at
                              AND n.command_tag = d.command_tag
                              AND n.object_identity IS NOT DISTINCT FROM d.object_identity)
         ORDER BY d.logged_at, d.id
    LOOP
        fresh := fresh + 1;
        UPDATE schemamig.drift SET id = fresh WHERE ctid = clash.row_ctid;
    END LOOP;
    IF fresh > (SELECT last_value FROM schemamig.drift_id_seq) THEN
        PERFORM setval('schemamig.drift_id_seq', fresh);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION schemamig._drift_restored() IS
  'internal: after rows are copied into schemamig.drift (a restore), renumbers older rows that share their ids';
REVOKE EXECUTE ON FUNCTION schemamig._drift_restored() FROM PUBLIC;
CREATE TRIGGER drift_restored AFTER INSERT ON schemamig.drift
  REFERENCING NEW TABLE AS restored
  FOR EACH STATEMENT EXECUTE FUNCTION schemamig._drift_restored();
