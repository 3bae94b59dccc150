SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
-- no lock_timeout from pg_schemamig: the timeout rule shows too
SET schemamig.lock_timeout = 0;
-- lint() basics: columns, statement numbers, locations, severities, sorting
SELECT * FROM schemamig.lint('SELECT 1');
SELECT * FROM schemamig.lint(NULL);
SELECT * FROM schemamig.lint('');
SELECT severity, rule, statement, location FROM schemamig.lint(
'CREATE TABLE t (id serial PRIMARY KEY, name varchar(20), at timestamp);
 CREATE INDEX t_name ON t (name);
 ALTER TABLE t ADD COLUMN c int NOT NULL;');
-- syntax errors are a finding, not an ERROR
SELECT * FROM schemamig.lint('ALTER TABLE t ADD COLUM x int');
SELECT * FROM schemamig.lint('SELECT ''unterminated');
-- the statement number counts the statements before the error; locations are bytes
SELECT statement, location FROM schemamig.lint('SELECT ''a;b''; /* ; */ SELECT $x$;$x$; -- ;
SELECT "é;"; SELEC 1');
SELECT statement, location, rule FROM schemamig.lint('SELECT ''éé''; DROP TABLE nosuch');
-- a table that does not exist: assumed to hold data
SELECT severity, rule, statement, location, message FROM schemamig.lint(
'ALTER TABLE nosuch ADD COLUMN c int NOT NULL; CREATE INDEX ON nosuch (c)');
DROP EXTENSION pg_schemamig CASCADE;
