-------------------------------------------------------------------------------
-- Review (lint.c)
-------------------------------------------------------------------------------

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
