-------------------------------------------------------------------------------
-- The command-line client's team workflow (lint.c, drift.c, revisions.c)
-------------------------------------------------------------------------------

CREATE FUNCTION schemamig.lint_downgrade(downgrade_sql text, upgrade_sql text)
RETURNS TABLE(severity text, rule text, statement integer, location integer,
              message text, hint text)
AS 'MODULE_PATHNAME', 'schemamig_lint_downgrade'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION schemamig.lint_downgrade(text, text) IS
  'lint() of a downgrade that knows what its own upgrade created: dropping those is no finding above info';

-- The description stored with each snapshot, so that check can say what
-- differs (which object, which attribute), not only that something does.
ALTER TABLE schemamig.snapshot ADD COLUMN description jsonb;

/*
 * describe_diff(a, b): the leaves where two describe() values differ, as
 * (path, a's value, b's value); a value absent on one side is NULL there.
 * Objects are compared key by key; anything else (arrays, scalars) as a
 * whole.
 */
CREATE FUNCTION schemamig.describe_diff(a jsonb, b jsonb)
RETURNS TABLE(path text[], a_value jsonb, b_value jsonb)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog
AS $$
WITH RECURSIVE d(path, x, y) AS (
    SELECT ARRAY[]::text[], a, b
  UNION ALL
    SELECT d.path OPERATOR(pg_catalog.||) k.key, d.x OPERATOR(pg_catalog.->) k.key,
           d.y OPERATOR(pg_catalog.->) k.key
    FROM d, LATERAL (SELECT pg_catalog.jsonb_object_keys(d.x) AS key
                     UNION SELECT pg_catalog.jsonb_object_keys(d.y)) k
    WHERE pg_catalog.jsonb_typeof(d.x) OPERATOR(pg_catalog.=) 'object'
      AND pg_catalog.jsonb_typeof(d.y) OPERATOR(pg_catalog.=) 'object'
      AND d.x OPERATOR(pg_catalog.<>) d.y
)
SELECT d.path, d.x, d.y FROM d
WHERE d.x IS DISTINCT FROM d.y
  AND NOT (COALESCE(pg_catalog.jsonb_typeof(d.x) OPERATOR(pg_catalog.=) 'object', false)
           AND COALESCE(pg_catalog.jsonb_typeof(d.y) OPERATOR(pg_catalog.=) 'object', false))
ORDER BY d.path
$$;
COMMENT ON FUNCTION schemamig.describe_diff(jsonb, jsonb) IS
  'the leaves where two describe() values differ: path, the first''s value, the second''s (NULL where absent)';

/*
 * snapshot_diff(): what differs between the latest snapshot of the current
 * heads (when it stored its description) and the live schema.
 */
CREATE FUNCTION schemamig.snapshot_diff()
RETURNS TABLE(snapshot_id bigint, path text[], snapshot jsonb, live jsonb)
LANGUAGE sql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog
AS $$
SELECT s.id, d.path, d.a_value, d.b_value
FROM (SELECT sn.id, sn.schemas, sn.description FROM schemamig.snapshot sn
      WHERE sn.heads OPERATOR(pg_catalog.=) ARRAY(SELECT v.revision FROM schemamig.version v
                                                  ORDER BY v.revision COLLATE "C")
      ORDER BY sn.id DESC LIMIT 1) s,
     LATERAL schemamig.describe_diff(s.description, schemamig.describe(s.schemas)) d
WHERE s.description IS NOT NULL
$$;
COMMENT ON FUNCTION schemamig.snapshot_diff() IS
  'what differs between the latest snapshot of the current heads and the live schema: path in describe(), snapshot value, live value';

-- Corrections of an applied revision's downgrade section (its upgrade is
-- immutable): add_revision keeps the old text here.
CREATE SEQUENCE schemamig.revision_amendment_id_seq;
CREATE TABLE schemamig.revision_amendment (
    id              bigint PRIMARY KEY DEFAULT pg_catalog.nextval('schemamig.revision_amendment_id_seq'),
    revision        text NOT NULL,
    old_downgrade_sql text,
    new_downgrade_sql text,
    old_checksum    text NOT NULL,
    new_checksum    text NOT NULL,
    amended_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    amended_by      name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE schemamig.revision_amendment IS 'corrections of the downgrade SQL of applied revisions, with the text they replaced';
SELECT pg_catalog.pg_extension_config_dump('schemamig.revision_amendment', '');
SELECT pg_catalog.pg_extension_config_dump('schemamig.revision_amendment_id_seq', '');
REVOKE ALL ON schemamig.revision_amendment FROM PUBLIC;
REVOKE ALL ON SEQUENCE schemamig.revision_amendment_id_seq FROM PUBLIC;
GRANT SELECT ON schemamig.revision_amendment TO PUBLIC;
