-- diff(): extension updates with and without an update path back, type
-- changes PostgreSQL has no cast for, a foreign key whose both sides change
-- type, LANGUAGE sql bodies naming what the same migration creates,
-- REPLICA IDENTITY USING INDEX, a CHECK whose printed form PostgreSQL prints
-- differently once applied.  Each is checked for an exact round trip
-- (pg_temp.rt of sql/include/diff_rt.sql) and its steps shown.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

\i sql/include/diff_rt.sql

-- extensions: pg_trgm ships no update path from 1.4 back to 1.3, so the
-- downgrade drops it and creates it at 1.3 (refused while objects use it)
CREATE SCHEMA m;
CREATE EXTENSION pg_trgm WITH SCHEMA m VERSION '1.3';
SELECT pg_temp.rt('m', $$CREATE EXTENSION pg_trgm WITH SCHEMA m VERSION '1.4';$$);
SELECT upgrade, downgrade, hazard FROM schemamig.diff($$CREATE EXTENSION pg_trgm WITH SCHEMA m VERSION '1.4';$$, 'm');
CREATE TABLE m.words (w text);
CREATE INDEX words_trgm ON m.words USING gin (w m.gin_trgm_ops);
BEGIN;
ALTER EXTENSION pg_trgm UPDATE TO '1.4';
DROP EXTENSION pg_trgm;
ROLLBACK;
DROP TABLE m.words;
DROP EXTENSION pg_trgm;

-- bigint to timestamp: no cast, so through text; the data check flags rows
-- whose text form timestamp cannot read
CREATE TABLE m.ev (id int PRIMARY KEY, at bigint);
SELECT pg_temp.rt('m', $$CREATE TABLE ev (id int PRIMARY KEY, at timestamp NOT NULL DEFAULT now());$$);
SELECT upgrade, downgrade, hazard FROM schemamig.diff($$CREATE TABLE ev (id int PRIMARY KEY, at timestamp);$$, 'm');
INSERT INTO m.ev VALUES (1, 1700000000);
SELECT upgrade, hazard FROM schemamig.diff($$CREATE TABLE ev (id int PRIMARY KEY, at timestamp);$$, 'm');
DROP TABLE m.ev;

-- a foreign key whose both sides change type is rebuilt around the changes
CREATE TABLE m.p (id bigint PRIMARY KEY);
CREATE TABLE m.c (p_id bigint REFERENCES m.p (id));
SELECT pg_temp.rt('m', $$CREATE TABLE p (id timestamp PRIMARY KEY);
CREATE TABLE c (p_id timestamp REFERENCES p (id));$$);
SELECT upgrade FROM schemamig.diff($$CREATE TABLE p (id timestamp PRIMARY KEY);
CREATE TABLE c (p_id timestamp REFERENCES p (id));$$, 'm') ORDER BY step;
-- one side only: PostgreSQL re-adds the key itself
SELECT upgrade FROM schemamig.diff($$CREATE TABLE p (id bigint PRIMARY KEY);
CREATE TABLE c (p_id integer REFERENCES p (id));$$, 'm') ORDER BY step;
DROP TABLE m.c, m.p;

-- LANGUAGE sql string bodies are created with check_function_bodies off:
-- the procedure uses a table, a sequence and a function created with it
CREATE TABLE m.users ();
CREATE PROCEDURE m.add_user(name text) LANGUAGE sql AS $p$ INSERT INTO m.users DEFAULT VALUES $p$;
SELECT pg_temp.rt('m', $$CREATE SEQUENCE user_id_seq;
CREATE TABLE users (id integer, name text NOT NULL);
CREATE FUNCTION get_name(n text) RETURNS text LANGUAGE sql AS $f$ SELECT n || '_x' $f$;
CREATE PROCEDURE add_user(name text) LANGUAGE sql AS $p$
INSERT INTO m.users (id, name) VALUES (nextval('m.user_id_seq'), m.get_name(name)) $p$;$$);
SELECT upgrade FROM schemamig.diff($$CREATE TABLE users ();
CREATE PROCEDURE add_user(name text) LANGUAGE sql AS $p$ SELECT 1 $p$;$$, 'm');
-- a plpgsql body is not checked against the catalogs: no SET
SELECT upgrade FROM schemamig.diff($$CREATE TABLE users ();
CREATE PROCEDURE add_user(name text) LANGUAGE sql AS $p$ INSERT INTO m.users DEFAULT VALUES $p$;
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $f$ BEGIN RETURN 1; END $f$;$$, 'm');
DROP PROCEDURE m.add_user(text);
DROP TABLE m.users;

-- REPLICA IDENTITY USING INDEX: after the index, on a new and an existing table
SELECT pg_temp.rt('m', $$CREATE TABLE r (id int PRIMARY KEY, k text NOT NULL);
CREATE UNIQUE INDEX r_k ON r (k);
ALTER TABLE r REPLICA IDENTITY USING INDEX r_k;$$);
SELECT upgrade, downgrade FROM schemamig.diff($$CREATE TABLE r (id int PRIMARY KEY, k text NOT NULL);
CREATE UNIQUE INDEX r_k ON r (k);
ALTER TABLE r REPLICA IDENTITY USING INDEX r_k;$$, 'm') ORDER BY step;
CREATE TABLE m.r (id int PRIMARY KEY);
ALTER TABLE m.r REPLICA IDENTITY FULL;
SELECT pg_temp.rt('m', $$CREATE TABLE r (id int PRIMARY KEY, k text NOT NULL);
CREATE UNIQUE INDEX r_k ON r (k);
ALTER TABLE r REPLICA IDENTITY USING INDEX r_k;$$);
DROP TABLE m.r;

-- CHECK (s IN (...)) on varchar: applied from diff's statement, PostgreSQL
-- prints it with other casts, so describe() (which compares printed
-- expressions) shows "upgrade DIFFERS"; diff takes both forms as the same
-- constraint: the second diff is empty
CREATE TABLE m.st (s varchar(10));
SELECT pg_temp.rt('m', $$CREATE TABLE st (s varchar(10) CONSTRAINT st_s CHECK (s IN ('a', 'b')));$$);
CREATE TABLE m.st2 (s varchar(10) CONSTRAINT st2_s CHECK (s IN ('a', 'b')));
SELECT count(*) AS steps FROM schemamig.diff($$CREATE TABLE st (s varchar(10));
CREATE TABLE st2 (s varchar(10) CONSTRAINT st2_s CHECK (s IN ('a', 'b')));$$, 'm');
-- a real change is still one
SELECT upgrade FROM schemamig.diff($$CREATE TABLE st (s varchar(10));
CREATE TABLE st2 (s varchar(10) CONSTRAINT st2_s CHECK (s IN ('a', 'c')));$$, 'm') ORDER BY step;

DROP TABLE m.st, m.st2;

-- a CHECK or FOREIGN KEY added to a table of 1 MB or more: NOT VALID, then a
-- VALIDATE marked NON_TRANSACTIONAL (it commits on its own); below 1 MB the
-- constraint is added valid in one statement
CREATE TABLE m.ref (id int PRIMARY KEY);
INSERT INTO m.ref VALUES (1);
CREATE TABLE m.big (id int, r int);
INSERT INTO m.big SELECT g, 1 FROM generate_series(1, 40000) g;
INSERT INTO m.big VALUES (-1, 1);
CREATE TABLE m.small (id int);
SELECT pg_catalog.pg_table_size('m.big') >= 1024 * 1024 AS big;
SELECT pg_catalog.set_config('m.ddl', $$CREATE TABLE ref (id int PRIMARY KEY);
CREATE TABLE big (id int CONSTRAINT pos CHECK (id > 0), r int REFERENCES ref (id));
COMMENT ON CONSTRAINT pos ON big IS 'positive';
CREATE TABLE small (id int CONSTRAINT small_pos CHECK (id > 0));$$, false) IS NOT NULL AS ddl;
SELECT step, upgrade, downgrade, hazard FROM schemamig.diff(current_setting('m.ddl'), 'm') ORDER BY step;
DELETE FROM m.big WHERE id = -1;
SELECT pg_temp.rt('m', current_setting('m.ddl'));
-- autogenerate: the VALIDATE steps are a non-transactional child revision
SET client_min_messages = warning;
SELECT schemamig.autogenerate('checks', current_setting('m.ddl'), 'm', 'chk') AS head \gset
RESET client_min_messages;
SELECT id = 'chk' AS first, message, down_revisions = ARRAY['chk'] AS child_of_first, transactional,
       upgrade_sql, downgrade_sql
FROM schemamig.revision WHERE id = :'head';
SELECT transactional, upgrade_sql LIKE '%VALIDATE%' AS validates FROM schemamig.revision WHERE id = 'chk';
DROP SCHEMA m CASCADE;
