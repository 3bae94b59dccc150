-------------------------------------------------------------------------------
-- Verify (src/verify): verify() and dry_run() run revisions and roll them
-- back, so they need the same rights as upgrade() and run the revisions'
-- SQL as the caller.
-------------------------------------------------------------------------------

CREATE FUNCTION schemamig.verify(target text DEFAULT 'heads')
RETURNS TABLE (revision text, "check" text, ok boolean, detail text)
AS 'MODULE_PATHNAME', 'schemamig_verify'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.verify(text) IS
  'for each revision up to target, on the live rows and rolled back: upgrade, downgrade (which must restore schema and rows exactly), upgrade again (which must give the same schema)';

CREATE FUNCTION schemamig.dry_run(target text DEFAULT 'head')
RETURNS TABLE (revision text, direction text, statement_no integer, statement text,
               duration interval, locks text[], rewrites text[], "rows" bigint)
AS 'MODULE_PATHNAME', 'schemamig_dry_run'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.dry_run(text) IS
  'runs the statements that upgrade (or downgrade) to target would run and rolls them back; per statement its duration, the locks it took, the tables it rewrote and the rows it touched';

REVOKE EXECUTE ON FUNCTION schemamig.verify(text), schemamig.dry_run(text) FROM PUBLIC;
