-- Crash and state-leak regressions found by review (090_sql_fuzz.pl).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

SELECT schemamig.add_revision('rs1', 'one', 'CREATE TABLE rs_one (id int)', 'DROP TABLE rs_one', '{}');

-- snapshot() built its fingerprint in SPI memory and returned it after
-- SPI_finish; a description big enough to leave SPI's memory in separate
-- blocks (pg_catalog) crashed the backend.
SET schemamig.tracked_schemas = 'pg_catalog, information_schema';
SELECT schemamig.snapshot() ~ '^[0-9a-f]{64}$' AS snapshot_ok;
SELECT schemamig.snapshot() = schemamig.fingerprint('{pg_catalog,information_schema}') AS same_fingerprint;
RESET schemamig.tracked_schemas;

-- A transactional plan step opened in a subtransaction that is rolled back
-- loses its catalog lock with it, so the step is closed too: _end_step
-- cannot record it, and later DDL in the transaction is drift again.
BEGIN;
SAVEPOINT s;
SELECT schemamig._begin_step('rs1', 'upgrade', 1);
ROLLBACK TO SAVEPOINT s;
CREATE TABLE rs_drift (id int);
SELECT schemamig._end_step('rs1', 'upgrade');
ROLLBACK;
BEGIN;
SAVEPOINT s;
SELECT schemamig._begin_step('rs1', 'upgrade', 1);
ROLLBACK TO SAVEPOINT s;
CREATE TABLE rs_drift (id int);
COMMIT;
SELECT command_tag, object_identity FROM schemamig.drift
 WHERE object_identity = 'public.rs_drift';
SELECT count(*) AS version_rows FROM schemamig.version;

-- the same in a PL/pgSQL exception block
BEGIN;
DO $$
BEGIN
    PERFORM schemamig._begin_step('rs1', 'upgrade', 1);
    RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN
    NULL;
END
$$;
SELECT schemamig._end_step('rs1', 'upgrade');
ROLLBACK;

-- a step opened in a subtransaction that commits stays open and completes
BEGIN;
DO $$
BEGIN
    PERFORM schemamig._begin_step('rs1', 'upgrade', 1);
EXCEPTION WHEN raise_exception THEN
    NULL;
END
$$;
CREATE TABLE rs_one (id int);
SELECT schemamig._end_step('rs1', 'upgrade');
COMMIT;
SELECT revision FROM schemamig.version;

-- offline scripts: a line break in a revision message stays in the
-- comment, and a revision ending in a "--" comment keeps its semicolon
SELECT schemamig.add_revision('rs2', E'two\nDROP TABLE rs_one;', 'CREATE TABLE rs_two (id int) -- two',
                              'DROP TABLE rs_two -- undo', '{rs1}');
SELECT line FROM pg_catalog.regexp_split_to_table(schemamig.upgrade_sql('rs2'), E'\n') AS line
 WHERE line ~ '^(-- Running|DROP TABLE rs_one;$|CREATE TABLE rs_two|;$)';
SELECT line FROM pg_catalog.regexp_split_to_table(schemamig.downgrade_sql('rs1', 'rs2'), E'\n') AS line
 WHERE line ~ '^(-- Running|DROP TABLE rs_one;$|DROP TABLE rs_two|;$)';

-- a from_rev that lists a revision twice names no state a version table holds
SELECT schemamig.upgrade_sql('head', 'rs1,rs1');

-- describe() picks its schemas with pg_catalog's operators, whatever the
-- caller's search_path puts first
CREATE SCHEMA rs_evil;
CREATE FUNCTION rs_evil.eq(name, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'rs_evil.= called';
    RETURN pg_catalog.nameeqtext($1, $2);
END $$;
CREATE OPERATOR rs_evil.= (FUNCTION = rs_evil.eq, LEFTARG = name, RIGHTARG = text);
SET search_path = rs_evil, pg_catalog;
SELECT schemamig.describe('{public}') IS NOT NULL AS described;
RESET search_path;
-- nor can operators in the described schema, where its path puts it second
CREATE FUNCTION rs_evil.eq(oid, regclass) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'rs_evil.= (oid, regclass) called';
    RETURN $1 OPERATOR(pg_catalog.=) $2::oid;
END $$;
CREATE OPERATOR rs_evil.= (FUNCTION = rs_evil.eq, LEFTARG = oid, RIGHTARG = regclass);
CREATE FUNCTION rs_evil.eq(oid, integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'rs_evil.= (oid, integer) called';
    RETURN $1 OPERATOR(pg_catalog.=) $2::oid;
END $$;
CREATE OPERATOR rs_evil.= (FUNCTION = rs_evil.eq, LEFTARG = oid, RIGHTARG = integer);
CREATE TABLE rs_evil.t (id int);
COMMENT ON TABLE rs_evil.t IS 'described';
GRANT SELECT ON rs_evil.t TO PUBLIC;
SELECT d -> 'comment' AS comment, d -> 'grants' AS grants
  FROM (SELECT schemamig.describe('{rs_evil}') -> 'rs_evil' -> 'tables' -> 't' AS d) AS s;
SET client_min_messages = warning;
DROP SCHEMA rs_evil CASCADE;
RESET client_min_messages;

-- a malformed tracked_schemas is refused when set: the drift triggers read
-- it on every DDL command, where an error would block all DDL
SET schemamig.tracked_schemas = '"unterminated';
SHOW schemamig.tracked_schemas;
CREATE TABLE rs_ddl_works (id int);
DROP TABLE rs_ddl_works;

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE rs_drift, rs_one;
