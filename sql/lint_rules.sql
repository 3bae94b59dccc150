SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
-- Every rule fires on a dangerous statement and stays quiet on its safe
-- recipe.  Fixtures: acct holds 20000 rows (over 1 MB, so findings on it
-- are warnings), empty_t has none, fresh is created by the linted SQL.
CREATE TABLE acct (id bigint PRIMARY KEY, email text, name varchar(50),
                   n integer, amount numeric(10,2), created timestamp);
INSERT INTO acct SELECT i, 'user' || i || '@example.com', 'name ' || i, i, i, '2024-01-01'
  FROM generate_series(1, 20000) i;
ALTER TABLE acct ADD CONSTRAINT acct_n_nn CHECK (n IS NOT NULL);
CREATE INDEX acct_email_idx ON acct (email);
CREATE TABLE refd (id integer PRIMARY KEY);
CREATE TABLE nopk (id bigint, v text);
INSERT INTO nopk SELECT i, repeat('x', 100) FROM generate_series(1, 10000) i;
CREATE TABLE empty_t (id bigint, email text, n integer);
CREATE TABLE parted (id bigint, d date) PARTITION BY RANGE (d);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN posint AS integer;
CREATE VIEW acct_v AS SELECT id FROM acct;
ANALYZE acct, nopk, empty_t;
SET schemamig.lock_timeout = '2s';
SET schemamig.statement_timeout = '1min';
CREATE FUNCTION pg_temp.l(sql text)
RETURNS TABLE(severity text, rule text, statement int, message text)
LANGUAGE sql AS $$
  SELECT severity, rule, statement, message FROM schemamig.lint(sql)
  WHERE rule <> 'require-table-schema'
$$;
CREATE FUNCTION pg_temp.r(sql text) RETURNS TABLE(severity text, rule text, statement int)
LANGUAGE sql AS $$
  SELECT severity, rule, statement FROM schemamig.lint(sql)
  WHERE rule <> 'require-table-schema'
$$;
\set fresh 'CREATE TABLE fresh (id bigint PRIMARY KEY, email text, n integer); '

-- adding-field-with-default
SELECT * FROM pg_temp.l('ALTER TABLE acct ADD COLUMN u uuid DEFAULT gen_random_uuid()');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN r float8 DEFAULT random() * 10');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN k bigint GENERATED ALWAYS AS IDENTITY');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN g bigint GENERATED ALWAYS AS (n * 2) STORED');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN f text DEFAULT no_such_function()');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN z integer DEFAULT 0');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN t timestamptz DEFAULT now()');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN s text DEFAULT lower(''X'' || ''y'')');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN t2 timestamptz DEFAULT CURRENT_TIMESTAMP');
SELECT * FROM pg_temp.r('ALTER TABLE empty_t ADD COLUMN u uuid DEFAULT gen_random_uuid()');
SELECT * FROM pg_temp.r(:'fresh' || 'ALTER TABLE fresh ADD COLUMN u uuid DEFAULT gen_random_uuid()');

-- adding-not-nullable-field (acct.n has a validated CHECK (n IS NOT NULL))
SELECT * FROM pg_temp.l('ALTER TABLE acct ALTER COLUMN email SET NOT NULL');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN n SET NOT NULL');
SELECT * FROM pg_temp.r('ALTER TABLE empty_t ALTER COLUMN email SET NOT NULL');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD CONSTRAINT e_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE acct VALIDATE CONSTRAINT e_nn;
ALTER TABLE acct ALTER COLUMN email SET NOT NULL');

-- adding-required-field
SELECT * FROM pg_temp.l('ALTER TABLE acct ADD COLUMN req text NOT NULL');
SELECT * FROM pg_temp.r('ALTER TABLE nosuch ADD COLUMN req text NOT NULL');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN req text NOT NULL DEFAULT ''''');
SELECT * FROM pg_temp.r('ALTER TABLE empty_t ADD COLUMN req text NOT NULL');

-- constraint-missing-not-valid
SELECT * FROM pg_temp.l('ALTER TABLE acct ADD CONSTRAINT pos CHECK (n > 0)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN c integer CHECK (c > 0)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD CONSTRAINT pos CHECK (n > 0) NOT VALID');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD CONSTRAINT pos CHECK (n > 0) NOT VALID;
ALTER TABLE acct VALIDATE CONSTRAINT pos');
SELECT * FROM pg_temp.r('ALTER TABLE empty_t ADD CONSTRAINT pos CHECK (n > 0)');

-- adding-foreign-key-constraint
SELECT * FROM pg_temp.l('ALTER TABLE acct ADD CONSTRAINT fk FOREIGN KEY (n) REFERENCES refd (id)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN r integer REFERENCES refd');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD CONSTRAINT fk FOREIGN KEY (n) REFERENCES refd (id) NOT VALID');

-- disallowed-unique-constraint
SELECT * FROM pg_temp.l('ALTER TABLE acct ADD CONSTRAINT u UNIQUE (email)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN code text UNIQUE');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD CONSTRAINT u UNIQUE USING INDEX acct_email_idx');

-- adding-serial-primary-key-field
SELECT * FROM pg_temp.l('ALTER TABLE nopk ADD PRIMARY KEY (id)');
SELECT * FROM pg_temp.r('ALTER TABLE nopk ADD COLUMN pk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY');
SELECT * FROM pg_temp.r('ALTER TABLE nopk ADD CONSTRAINT nopk_pkey PRIMARY KEY USING INDEX nopk_id_idx');

-- adding-exclusion-constraint
SELECT * FROM pg_temp.l('ALTER TABLE acct ADD CONSTRAINT ex EXCLUDE USING btree (n WITH =)');
SELECT * FROM pg_temp.r('ALTER TABLE empty_t ADD CONSTRAINT ex EXCLUDE USING btree (n WITH =)');

-- require-concurrent-index-creation
SELECT * FROM pg_temp.l('CREATE INDEX ON acct (name)');
SELECT * FROM pg_temp.r('CREATE INDEX CONCURRENTLY IF NOT EXISTS acct_name ON acct (name)');
SELECT * FROM pg_temp.r(:'fresh' || 'CREATE INDEX ON fresh (email)');
SELECT * FROM pg_temp.r('CREATE INDEX ON empty_t (email)');

-- require-concurrent-index-deletion
SELECT * FROM pg_temp.l('DROP INDEX acct_email_idx');
SELECT * FROM pg_temp.r('DROP INDEX CONCURRENTLY IF EXISTS acct_email_idx');

-- require-concurrent-reindex
SELECT * FROM pg_temp.l('REINDEX TABLE acct');
SELECT * FROM pg_temp.r('REINDEX TABLE CONCURRENTLY acct');

-- require-concurrent-partition-detach
SELECT * FROM pg_temp.l('ALTER TABLE parted DETACH PARTITION parted_1');
SELECT * FROM pg_temp.r('ALTER TABLE parted DETACH PARTITION parted_1 CONCURRENTLY');

-- changing-column-type (rewrite-free changes are not flagged)
SELECT * FROM pg_temp.l('ALTER TABLE acct ALTER COLUMN n TYPE bigint');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN name TYPE varchar(10)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN email TYPE integer USING length(email)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN amount TYPE numeric(12,3)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN name TYPE varchar(100)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN name TYPE text');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN name TYPE varchar');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN email TYPE varchar');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN amount TYPE numeric(14,2)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN amount TYPE numeric');
SET TimeZone = 'UTC';
SELECT * FROM pg_temp.r('ALTER TABLE acct ALTER COLUMN created TYPE timestamptz');
RESET TimeZone;

-- table-rewrite
SELECT * FROM pg_temp.l('ALTER TABLE acct SET UNLOGGED');
SELECT * FROM pg_temp.r('ALTER TABLE acct SET TABLESPACE pg_default');
SELECT * FROM pg_temp.r('ALTER TABLE empty_t SET UNLOGGED');

-- prefer-repack
SELECT * FROM pg_temp.l('VACUUM FULL acct');
SELECT * FROM pg_temp.r('CLUSTER acct USING acct_pkey');
SELECT * FROM pg_temp.r('VACUUM (ANALYZE) acct');

-- backfilling-data
SELECT * FROM pg_temp.l('UPDATE acct SET n = 0 WHERE n IS NULL');
SELECT * FROM pg_temp.r('DELETE FROM acct WHERE n < 0');
SELECT * FROM pg_temp.r(:'fresh' || 'UPDATE fresh SET n = 0');

-- require-timeout-settings: schemamig.lock_timeout = 0 leaves the session's
-- lock_timeout (none) in force
SET schemamig.lock_timeout = 0;
SELECT * FROM pg_temp.l('ALTER TABLE acct ADD COLUMN x text; ALTER TABLE acct ADD COLUMN y text');
SELECT * FROM pg_temp.r('SET lock_timeout = ''1s''; ALTER TABLE acct ADD COLUMN x text');
SELECT * FROM pg_temp.r('ALTER TABLE empty_t ADD COLUMN x text');
-- the default schemamig.lock_timeout protects every revision
RESET schemamig.lock_timeout;
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN x text');
SET schemamig.lock_timeout = '2s';
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN x text');

-- ban-concurrent-index-creation-in-transaction, transaction-nesting,
-- ban-uncommitted-transaction, prefer-robust-stmts
SELECT * FROM pg_temp.l('BEGIN; CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON acct (name); COMMIT');
SELECT * FROM pg_temp.l('BEGIN; ALTER TABLE empty_t ADD COLUMN x text');
SELECT * FROM pg_temp.l('CREATE INDEX CONCURRENTLY i ON acct (name)');
SELECT * FROM pg_temp.l('DROP INDEX CONCURRENTLY acct_email_idx');
SELECT * FROM pg_temp.r('CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON acct (name)');

-- destructive changes
SELECT * FROM pg_temp.l('ALTER TABLE acct DROP COLUMN name');
SELECT * FROM pg_temp.r(:'fresh' || 'ALTER TABLE fresh DROP COLUMN email');
SELECT * FROM pg_temp.l('DROP TABLE acct CASCADE');
SELECT * FROM pg_temp.r(:'fresh' || 'DROP TABLE fresh');
SELECT * FROM pg_temp.l('DROP SCHEMA app');
SELECT * FROM pg_temp.l('DROP SCHEMA app CASCADE');
SELECT * FROM pg_temp.r('CREATE SCHEMA app');
SELECT * FROM pg_temp.l('DROP DATABASE prod');
SELECT * FROM pg_temp.l('TRUNCATE acct CASCADE');
SELECT * FROM pg_temp.l('TRUNCATE acct');
SELECT * FROM pg_temp.r('TRUNCATE empty_t');
SELECT * FROM pg_temp.l('DROP VIEW acct_v');
SELECT * FROM pg_temp.l('DROP TYPE mood CASCADE');
SELECT * FROM pg_temp.r('CREATE VIEW v2 AS SELECT 1');
SELECT * FROM pg_temp.l('ALTER TABLE acct DROP CONSTRAINT acct_n_nn');
SELECT * FROM pg_temp.r(:'fresh' || 'ALTER TABLE fresh DROP CONSTRAINT fresh_pkey');

-- backward-incompatible changes
SELECT * FROM pg_temp.l('ALTER TABLE acct ALTER COLUMN n DROP NOT NULL');
SELECT * FROM pg_temp.r(:'fresh' || 'ALTER TABLE fresh ALTER COLUMN id DROP NOT NULL');
SELECT * FROM pg_temp.l('ALTER TABLE acct RENAME COLUMN name TO full_name');
SELECT * FROM pg_temp.r(:'fresh' || 'ALTER TABLE fresh RENAME COLUMN email TO mail');
SELECT * FROM pg_temp.l('ALTER TABLE acct RENAME TO account');
SELECT * FROM pg_temp.r(:'fresh' || 'ALTER TABLE fresh RENAME TO fresher');
SELECT * FROM pg_temp.l('ALTER TYPE mood RENAME VALUE ''ok'' TO ''fine''');
SELECT * FROM pg_temp.l('ALTER TYPE mood ADD VALUE ''happy''');
SELECT * FROM pg_temp.r('ALTER TYPE mood ADD VALUE ''happy'' AFTER ''ok''');

-- unsafe-enum-value-use
SELECT * FROM pg_temp.l('ALTER TYPE mood ADD VALUE ''happy'' AFTER ''ok''; SELECT ''happy''::mood');
SELECT * FROM pg_temp.r('ALTER TYPE mood ADD VALUE ''happy'' AFTER ''ok''; SELECT ''ok''::mood');
SELECT * FROM pg_temp.r('CREATE TYPE m2 AS ENUM (''a''); ALTER TYPE m2 ADD VALUE ''b'' AFTER ''a''; SELECT ''b''::m2');

-- domains
SELECT * FROM pg_temp.l('CREATE DOMAIN pos2 AS integer CHECK (VALUE > 0)');
SELECT * FROM pg_temp.r('CREATE DOMAIN plain2 AS integer');
SELECT * FROM pg_temp.l('ALTER DOMAIN posint ADD CONSTRAINT p CHECK (VALUE > 0)');
SELECT * FROM pg_temp.r('ALTER DOMAIN posint ADD CONSTRAINT p CHECK (VALUE > 0) NOT VALID');

-- authz-update, opaque-code
SELECT * FROM pg_temp.l('GRANT SELECT ON acct TO PUBLIC');
SELECT * FROM pg_temp.l('ALTER TABLE acct ENABLE ROW LEVEL SECURITY');
SELECT * FROM pg_temp.r('COMMENT ON TABLE acct IS ''accounts''');
SELECT * FROM pg_temp.l('DO $$BEGIN PERFORM 1; END$$');
SELECT * FROM pg_temp.r('SELECT 1');

-- type smells
SELECT * FROM pg_temp.l('CREATE TABLE x (id integer PRIMARY KEY, n integer)');
SELECT * FROM pg_temp.l('CREATE TABLE x (a int, b int, PRIMARY KEY (a, b))');
SELECT * FROM pg_temp.r('CREATE TABLE x (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n integer)');
SELECT * FROM pg_temp.l('CREATE TABLE x (id smallint PRIMARY KEY, s smallint)');
SELECT * FROM pg_temp.l('CREATE TABLE x (id bigserial PRIMARY KEY)');
SELECT * FROM pg_temp.l('CREATE TABLE x (id serial PRIMARY KEY)');
SELECT * FROM pg_temp.l('CREATE TABLE x (a varchar(10), b char(2), c timestamp, d json)');
SELECT * FROM pg_temp.r('CREATE TABLE x (a varchar, b "char", c timestamptz, d jsonb, e text)');
SELECT * FROM pg_temp.r('ALTER TABLE acct ADD COLUMN j json');
SELECT * FROM pg_temp.l('CREATE INDEX CONCURRENTLY IF NOT EXISTS i4 ON acct (id, email, name, n)');
SELECT * FROM pg_temp.r('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i4 ON acct (id, email, name, n)');
SELECT * FROM pg_temp.l('CREATE TABLE abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_x (id bigint)');
SELECT * FROM pg_temp.l('CREATE TABLE "ABCDEFGHIJ_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij" (id bigint)');
SELECT * FROM pg_temp.r('CREATE TABLE abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefgh (id bigint)');
SELECT * FROM pg_temp.r('SELECT ''abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_x''');
SELECT severity, rule, statement, location, message FROM schemamig.lint('CREATE TABLE x (id bigint)');
SELECT severity, rule, statement, location FROM schemamig.lint('CREATE TABLE public.x (id bigint); CREATE TEMP TABLE y (id bigint)');

-- lock_timeout = 0 protects nothing
SET schemamig.lock_timeout = 0;
SELECT * FROM pg_temp.r('SET lock_timeout = 0; ALTER TABLE acct ADD COLUMN x text');
SELECT * FROM pg_temp.r('SET lock_timeout = ''1s''; RESET lock_timeout; ALTER TABLE acct ADD COLUMN x text');
SET schemamig.lock_timeout = '2s';
-- DML on a table lint cannot find is not a backfill finding
SELECT * FROM pg_temp.r('UPDATE alembic_version SET version_num = ''b2''');
-- names with too many dots, strings that look like long names
SELECT * FROM pg_temp.r('DROP TABLE a.b.c.d; DROP INDEX a.b.c.d');
SELECT * FROM pg_temp.r('SELECT E''it\''s abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_x''');
SELECT * FROM pg_temp.r('SELECT ''C:\'', $q$abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_x$q$');

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE acct, refd, nopk, empty_t, parted CASCADE;
DROP TYPE mood;
DROP DOMAIN posint;
