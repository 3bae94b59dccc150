SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
-- Catalog awareness: the same statement is quiet, info, warning or error
-- depending on the live table; the message states the size.
CREATE SCHEMA app;
CREATE TABLE app.big (id bigint PRIMARY KEY, v text, n integer);
INSERT INTO app.big SELECT i, repeat('v', 40), i FROM generate_series(1, 20000) i;
CREATE TABLE app.small (id bigint PRIMARY KEY, v text, n integer);
INSERT INTO app.small SELECT i, 'v', i FROM generate_series(1, 10) i;
CREATE TABLE app.empty (id bigint PRIMARY KEY, v text, n integer);
CREATE TABLE app.unanalyzed (id bigint, v text);
CREATE TABLE app.ev (id bigint, d date, v text) PARTITION BY RANGE (d);
CREATE TABLE app.ev_2023 PARTITION OF app.ev FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE app.ev_2024 PARTITION OF app.ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO app.ev SELECT i, '2023-06-01'::date + (i % 400), repeat('e', 30) FROM generate_series(1, 20000) i;
ANALYZE app.big, app.small, app.empty, app.ev;
INSERT INTO app.unanalyzed SELECT i, 'x' FROM generate_series(1, 100) i;
SET schemamig.lock_timeout = '2s';
SET schemamig.statement_timeout = '1min';
-- size decides the severity
SELECT severity, rule, message FROM schemamig.lint('CREATE INDEX ON app.big (v)');
SELECT severity, rule, message FROM schemamig.lint('CREATE INDEX ON app.small (v)');
SELECT severity, rule, message FROM schemamig.lint('CREATE INDEX ON app.empty (v)');
SELECT severity, rule, message FROM schemamig.lint('CREATE INDEX ON app.unanalyzed (v)');
SELECT severity, rule, message FROM schemamig.lint('CREATE INDEX ON app.ev (v)');
SELECT severity, rule, message FROM schemamig.lint('CREATE INDEX ON app.ev_2024 (v)');
-- schemamig.max_rewrite_size (kB) lowers the error threshold
SET schemamig.max_rewrite_size = '1MB';
SELECT severity, rule, message FROM schemamig.lint('ALTER TABLE app.big ALTER COLUMN n TYPE bigint');
SELECT severity, rule FROM schemamig.lint('ALTER TABLE app.small ALTER COLUMN n TYPE bigint');
RESET schemamig.max_rewrite_size;
-- names resolve through search_path, like the migration itself
SELECT severity, rule, message FROM schemamig.lint('CREATE INDEX ON big (v)');
SET search_path = app, public;
SELECT severity, rule, message FROM schemamig.lint('CREATE INDEX ON big (v)');
RESET search_path;
-- SET NOT NULL: a validated CHECK (col IS NOT NULL) makes it cheap, a NOT VALID one does not
ALTER TABLE app.big ADD CONSTRAINT big_v_nn CHECK (v IS NOT NULL AND n > 0);
ALTER TABLE app.big ADD CONSTRAINT big_n_nn CHECK (n IS NOT NULL) NOT VALID;
SELECT severity, rule FROM schemamig.lint('ALTER TABLE app.big ALTER COLUMN v SET NOT NULL');
SELECT severity, rule FROM schemamig.lint('ALTER TABLE app.big ALTER COLUMN n SET NOT NULL');
ALTER TABLE app.big VALIDATE CONSTRAINT big_n_nn;
SELECT severity, rule FROM schemamig.lint('ALTER TABLE app.big ALTER COLUMN n SET NOT NULL');
-- tables created earlier in the same SQL never hold a lock anyone waits for
SELECT severity, rule, statement FROM schemamig.lint(
'CREATE TABLE app.copy AS SELECT * FROM app.big;
 CREATE INDEX ON app.copy (v);
 ALTER TABLE app.copy ADD CONSTRAINT copy_pk PRIMARY KEY (id);
 ALTER TABLE app.copy ALTER COLUMN n TYPE bigint;
 CREATE INDEX ON app.big (v)');
-- volatility comes from pg_proc: a user function's label counts
CREATE FUNCTION app.stable_fn() RETURNS text LANGUAGE sql STABLE AS 'SELECT ''x''';
CREATE FUNCTION app.volatile_fn() RETURNS text LANGUAGE sql VOLATILE AS 'SELECT ''x''';
SELECT severity, rule FROM schemamig.lint('ALTER TABLE app.big ADD COLUMN s text DEFAULT app.stable_fn()');
SELECT severity, rule FROM schemamig.lint('ALTER TABLE app.big ADD COLUMN s text DEFAULT app.volatile_fn()');
-- no lock_timeout anywhere: one finding, at the first statement that locks an existing table
SET schemamig.lock_timeout = 0;
SELECT severity, rule, statement FROM schemamig.lint(
'CREATE TABLE app.t2 (id bigint);
 CREATE INDEX ON app.t2 (id);
 ALTER TABLE app.small ADD COLUMN c text;
 ALTER TABLE app.big ADD COLUMN c text') WHERE rule = 'require-timeout-settings';
DROP EXTENSION pg_schemamig CASCADE;
DROP SCHEMA app CASCADE;
