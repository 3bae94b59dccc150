-- Offline scripts: upgrade_sql()/downgrade_sql() run by plain psql give the
-- same schema, version table and log as an online upgrade.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
DROP TABLE IF EXISTS o_users, o_posts;

SELECT schemamig.add_revision('o1', 'users',
    $$CREATE TABLE o_users (id bigint PRIMARY KEY, name text NOT NULL);
      CREATE FUNCTION o_touch() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;$$,
    'DROP FUNCTION o_touch(); DROP TABLE o_users;', '{}');
SELECT schemamig.add_revision('o2', 'posts; it''s quoted',
    'CREATE TABLE o_posts (id bigint PRIMARY KEY, user_id bigint REFERENCES o_users)',
    'DROP TABLE o_posts');
SELECT schemamig.add_revision('o3', 'concurrent index',
    'CREATE INDEX CONCURRENTLY o_posts_user ON o_posts (user_id)',
    'DROP INDEX CONCURRENTLY o_posts_user', transactional => false);

\pset tuples_only on
\pset format unaligned
\o results/apply_offline_up.sql
SELECT schemamig.upgrade_sql('head', 'base');
\o
\pset tuples_only off
\pset format aligned

-- the script's shape
SELECT line FROM regexp_split_to_table(schemamig.upgrade_sql('o2', 'base'), E'\n') AS line
 WHERE line ~ '^(BEGIN|COMMIT|-- Running|SET|RESET|CREATE|DELETE|INSERT INTO schemamig.version)';

-- a database that has the extension but not these revisions
SELECT schemamig.remove_revision('o3');
SELECT schemamig.remove_revision('o2');
SELECT schemamig.remove_revision('o1');
SELECT count(*) AS registered FROM schemamig.revision;

\i results/apply_offline_up.sql
\set ON_ERROR_STOP 0

SELECT id, message, down_revisions, transactional FROM schemamig.revision ORDER BY seq;
SELECT revision, position FROM schemamig.version;
SELECT revision, direction, heads_before, heads_after FROM schemamig.log ORDER BY id;
SELECT relname FROM pg_class WHERE relname LIKE 'o\_%' ORDER BY relname;
-- its checksums equal the online ones
SELECT bool_and(checksum = schemamig.checksum(upgrade_sql, downgrade_sql, transactional)) AS checksums_ok
  FROM schemamig.revision;

-- running it twice fails on the state check, changing nothing
\setenv SM_DB :DBNAME
\! psql -X -q -d "$SM_DB" -f results/apply_offline_up.sql 2>&1 | sed -e 's/^psql:[^ ]*: //'
SELECT revision FROM schemamig.version;

-- downgrade script from the current heads
\pset tuples_only on
\pset format unaligned
\o results/apply_offline_down.sql
SELECT schemamig.downgrade_sql('base');
\o
\pset tuples_only off
\pset format aligned
\i results/apply_offline_down.sql
\set ON_ERROR_STOP 0
SELECT count(*) AS version_rows FROM schemamig.version;
SELECT relname FROM pg_class WHERE relname LIKE 'o\_%' ORDER BY relname;

-- bad arguments
SELECT schemamig.upgrade_sql('head', 'nosuchrev');
SELECT schemamig.downgrade_sql(NULL);

DROP EXTENSION pg_schemamig CASCADE;
