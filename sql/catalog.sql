-- The extension's catalog, privileges and checksums.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;

SELECT schemamig.library_version() = extversion AS versions_match
  FROM pg_catalog.pg_extension WHERE extname = 'pg_schemamig';

-- catalog tables and sequences are dumped by pg_dump
SELECT c.relname, c.relkind
  FROM pg_catalog.pg_extension e,
       LATERAL pg_catalog.unnest(e.extconfig) AS cfg(oid)
  JOIN pg_catalog.pg_class c ON c.oid = cfg.oid
 WHERE e.extname = 'pg_schemamig'
 ORDER BY c.relname COLLATE "C";

-- the schema belongs to the extension
SELECT pg_catalog.pg_describe_object(classid, objid, objsubid) AS member
  FROM pg_catalog.pg_depend
 WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
   AND refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'pg_schemamig')
   AND classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass;

-- PUBLIC cannot write the catalog
SELECT has_table_privilege('public', 'schemamig.revision', 'INSERT') AS public_insert,
       has_table_privilege('public', 'schemamig.revision', 'SELECT') AS public_select;

-- checksums: whitespace, comments and keyword/identifier case do not count
SELECT schemamig.checksum('CREATE TABLE t (id int);') =
       schemamig.checksum(E'create   table T\n(  id  INT ) ; -- trailing comment') AS same_tokens;
SELECT schemamig.checksum('CREATE TABLE t (id int);') =
       schemamig.checksum('CREATE TABLE "T" (id int);') AS quoted_differs;
SELECT schemamig.checksum('SELECT 1', 'SELECT 2') = schemamig.checksum('SELECT 1', 'SELECT 3') AS downgrade_counts;
SELECT schemamig.checksum('SELECT 1', NULL) = schemamig.checksum('SELECT 1', '') AS null_vs_empty;
SELECT schemamig.checksum('SELECT 1', NULL, true) = schemamig.checksum('SELECT 1', NULL, false) AS flag_counts;
SELECT schemamig.checksum('SELECT ''a b''') = schemamig.checksum('SELECT ''a  b''') AS literal_spaces_count;
SELECT length(schemamig.checksum('SELECT 1')) AS hex_length;
SELECT schemamig.checksum('SELECT ''unterminated');

-- GUCs are reserved under the schemamig prefix
SET schemamig.no_such_setting = 1;
SHOW schemamig.lint_on_upgrade;
SET schemamig.lint_on_upgrade = 'sometimes';

DROP EXTENSION pg_schemamig;
SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = 'schemamig';
