-------------------------------------------------------------------------------
-- Generating migrations (src/diff): diff() and autogenerate()
-------------------------------------------------------------------------------

-- Both run the desired DDL as the calling role (SECURITY INVOKER), in a
-- subtransaction that is always rolled back.
CREATE FUNCTION schemamig.diff(desired_ddl text, schema text DEFAULT 'public')
RETURNS TABLE(step int, upgrade text, downgrade text, hazard text)
AS 'MODULE_PATHNAME', 'schemamig_diff'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.diff(text, text) IS
  'ordered steps (each with its inverse and hazards) taking the live schema to the one the desired DDL builds';

CREATE FUNCTION schemamig.diff(desired_ddl text, schemas text[])
RETURNS TABLE(step int, upgrade text, downgrade text, hazard text)
AS 'MODULE_PATHNAME', 'schemamig_diff'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.diff(text, text[]) IS
  'diff() over several schemas at once, ordered across them';

CREATE FUNCTION schemamig.autogenerate(message text, desired_ddl text,
    schema text DEFAULT 'public', id text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_autogenerate'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.autogenerate(text, text, text, text) IS
  'registers a revision made of diff()''s steps and returns its id; NULL when nothing differs';

CREATE FUNCTION schemamig.autogenerate(message text, desired_ddl text,
    schemas text[], id text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_autogenerate'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.autogenerate(text, text, text[], text) IS
  'autogenerate() over several schemas at once';

-- autogenerate registers revisions: the same rights as add_revision
REVOKE EXECUTE ON FUNCTION schemamig.autogenerate(text, text, text, text),
    schemamig.autogenerate(text, text, text[], text) FROM PUBLIC;
