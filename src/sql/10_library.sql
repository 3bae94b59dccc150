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
