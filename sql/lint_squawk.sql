SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
-- Gaps and false findings found by replaying squawk's own tests
-- (test/t/180_squawk_suite.pl).  t holds rows; its CHECK on b came NOT
-- VALID from an earlier migration.
CREATE TABLE t (a integer, b integer, c text);
INSERT INTO t SELECT i, i, 'x' FROM generate_series(1, 1000) i;
ALTER TABLE t ADD CONSTRAINT t_b_not_null CHECK (b IS NOT NULL) NOT VALID;
CREATE INDEX t_a_idx ON t (a);
SET schemamig.lock_timeout = '2s';
SET schemamig.statement_timeout = '1min';
CREATE FUNCTION pg_temp.r(sql text) RETURNS TABLE(severity text, rule text, statement int)
LANGUAGE sql AS $$
  SELECT severity, rule, statement FROM schemamig.lint(sql) ORDER BY statement, rule
$$;

-- type rules apply to arrays of the type (key rules do not)
SELECT * FROM pg_temp.r('CREATE TABLE app.u (a char[], b varchar(100)[], c timestamp[], d json[3], e integer[] PRIMARY KEY)');
SELECT rule, message FROM schemamig.lint('ALTER TABLE t ADD COLUMN d character(100)[]') WHERE rule = 'ban-char-field';

-- VALIDATE of a CHECK (col IS NOT NULL) an earlier migration added NOT
-- VALID: SET NOT NULL then skips the scan (PostgreSQL 12+)
SELECT * FROM pg_temp.r('ALTER TABLE t VALIDATE CONSTRAINT t_b_not_null; ALTER TABLE t ALTER COLUMN b SET NOT NULL');
-- not validated, or another column: the scan stays
SELECT * FROM pg_temp.r('ALTER TABLE t ALTER COLUMN b SET NOT NULL');
SELECT * FROM pg_temp.r('ALTER TABLE t VALIDATE CONSTRAINT t_b_not_null; ALTER TABLE t ALTER COLUMN a SET NOT NULL');

-- REINDEX: system catalogs cannot be reindexed CONCURRENTLY
SELECT * FROM pg_temp.r('REINDEX SYSTEM postgres');
SELECT * FROM pg_temp.r('REINDEX TABLE pg_catalog.pg_class');
SELECT * FROM pg_temp.r('REINDEX DATABASE postgres');

-- require-table-schema: CREATE TABLE AS and SELECT INTO create tables too
SELECT * FROM pg_temp.r('CREATE TABLE copy AS SELECT 1 AS x');
SELECT * FROM pg_temp.r('CREATE TABLE public.copy AS SELECT 1 AS x');
SELECT * FROM pg_temp.r('CREATE TEMP TABLE copy AS SELECT 1 AS x');
SELECT * FROM pg_temp.r('SELECT 1 AS x INTO copy');
SELECT * FROM pg_temp.r('CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x');

-- timeouts: lock_timeout (require-timeout-settings) and statement_timeout
-- (require-statement-timeout), from the SQL or from schemamig.* (0: none)
SET schemamig.lock_timeout = 0;
SET schemamig.statement_timeout = 0;
SELECT severity, rule, statement, message FROM schemamig.lint('ALTER TABLE t ADD COLUMN d boolean') ORDER BY rule;
SELECT * FROM pg_temp.r('SET lock_timeout = ''1s''; ALTER TABLE t ADD COLUMN d boolean');
SELECT * FROM pg_temp.r('SET statement_timeout = ''5s''; ALTER TABLE t ADD COLUMN d boolean');
SELECT * FROM pg_temp.r('SET lock_timeout = ''1s''; SET statement_timeout = ''5s''; ALTER TABLE t ADD COLUMN d boolean');
SELECT * FROM pg_temp.r('SET lock_timeout = ''1s''; SET statement_timeout = 0; ALTER TABLE t ADD COLUMN d boolean');
SELECT * FROM pg_temp.r('ALTER TABLE t ADD COLUMN d boolean; SET lock_timeout = ''1s''; SET statement_timeout = ''5s''');
SET schemamig.statement_timeout = '1min';
SELECT * FROM pg_temp.r('SET lock_timeout = ''1s''; ALTER TABLE t ADD COLUMN d boolean');
SET schemamig.lock_timeout = '2s';
SELECT * FROM pg_temp.r('ALTER TABLE t ADD COLUMN d boolean');
SET schemamig.lock_timeout = 0;
SET schemamig.statement_timeout = 0;
-- statements that take a lock blocking reads or writes on an existing table
SELECT * FROM pg_temp.r('REINDEX INDEX t_a_idx');
SELECT * FROM pg_temp.r('VACUUM FULL t');
SELECT * FROM pg_temp.r('CLUSTER t USING t_a_idx');
SELECT * FROM pg_temp.r('LOCK TABLE t');
SELECT * FROM pg_temp.r('LOCK TABLE t IN SHARE MODE');
SELECT * FROM pg_temp.r('CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()');
-- and ones that block no read or write: no timeout finding
SELECT * FROM pg_temp.r('LOCK TABLE t IN ACCESS SHARE MODE');
SELECT * FROM pg_temp.r('LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE');
SELECT * FROM pg_temp.r('VACUUM (FULL false) t');
SELECT * FROM pg_temp.r('COMMENT ON COLUMN t.c IS ''an opaque id''');
SELECT * FROM pg_temp.r('CREATE TYPE mood AS ENUM (''sad'', ''ok'')');
-- squawk's rule name for the lock timeout still suppresses ours
SELECT severity, rule FROM schemamig.lint('-- schemamig:allow require-lock-timeout,require-statement-timeout set by the deploy tool
ALTER TABLE t ADD COLUMN d boolean') ORDER BY rule;
SET schemamig.lock_timeout = '2s';
SET schemamig.statement_timeout = '1min';

-- identifier-too-long clips its excerpt on a character boundary, so the
-- message is valid text; a quoted name is shown without doubled quotes
SELECT message, octet_length(message) FROM schemamig.lint(
'CREATE TABLE public."aééééééééééééééééééééééééééééééééé" (id bigint)') WHERE rule = 'identifier-too-long';
SELECT message FROM schemamig.lint(
'CREATE TABLE public."a""bcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmn" (id bigint)') WHERE rule = 'identifier-too-long';
DROP EXTENSION pg_schemamig CASCADE;
