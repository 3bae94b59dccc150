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
