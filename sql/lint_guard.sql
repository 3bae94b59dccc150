SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set SHOW_CONTEXT never
-- The table_rewrite guard: during a migration, refuse to rewrite a table
-- larger than schemamig.max_rewrite_size; outside migrations, never.
CREATE TABLE big (id integer, v text);
INSERT INTO big SELECT i, repeat('x', 100) FROM generate_series(1, 20000) i;
CREATE TABLE small (id integer, v text);
INSERT INTO small SELECT i, 'x' FROM generate_series(1, 10) i;
-- NOTICEs of upgrade() carry timings
SET client_min_messages = warning;
SET schemamig.lint_on_upgrade = off;
SET schemamig.max_rewrite_size = '1MB';
-- outside a migration the guard does nothing
ALTER TABLE big ALTER COLUMN id TYPE bigint;
ALTER TABLE big ALTER COLUMN id TYPE integer;
SELECT schemamig.add_revision('g1', 'widen big', 'ALTER TABLE big ALTER COLUMN id TYPE bigint',
                              'ALTER TABLE big ALTER COLUMN id TYPE integer', '{}');
SELECT schemamig.add_revision('g2', 'widen small', 'ALTER TABLE small ALTER COLUMN id TYPE bigint',
                              'ALTER TABLE small ALTER COLUMN id TYPE integer');
-- the rewrite of big is refused, naming table, size and statement
SELECT revision, direction FROM schemamig.upgrade('g1');
SELECT count(*) AS applied FROM schemamig.version;
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
  WHERE attrelid = 'big'::regclass AND attname = 'id';
-- a rewrite that changes nothing big is allowed; -1 turns the guard off
SET schemamig.max_rewrite_size = '10MB';
SELECT revision, direction FROM schemamig.upgrade('g1');
SET schemamig.max_rewrite_size = '1MB';
SELECT revision, direction FROM schemamig.upgrade('g2');
SET schemamig.max_rewrite_size = -1;
SELECT revision, direction FROM schemamig.downgrade('base');
-- plain DDL between migrations is still not guarded
SET schemamig.max_rewrite_size = '1MB';
ALTER TABLE big ALTER COLUMN v TYPE varchar(200);
-- only superusers (and the extension) can change the limit
CREATE ROLE lint_guard_user;
SET ROLE lint_guard_user;
SET schemamig.max_rewrite_size = -1;
RESET ROLE;
DROP ROLE lint_guard_user;
-- any role's rewrites pass through the trigger (event triggers need no EXECUTE)
CREATE ROLE lint_guard_owner;
GRANT CREATE ON SCHEMA public TO lint_guard_owner;
SET ROLE lint_guard_owner;
CREATE TABLE owned (a integer);
INSERT INTO owned VALUES (1);
ALTER TABLE owned ALTER COLUMN a TYPE bigint;
DROP TABLE owned;
RESET ROLE;
REVOKE CREATE ON SCHEMA public FROM lint_guard_owner;
DROP ROLE lint_guard_owner;
-- the trigger function cannot be called directly
SELECT schemamig.rewrite_guard();
RESET client_min_messages;
DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE big, small;
