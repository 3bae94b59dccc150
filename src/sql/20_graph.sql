-------------------------------------------------------------------------------
-- Revision graph (revisions.c, graph.c, target.c)
-------------------------------------------------------------------------------

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
