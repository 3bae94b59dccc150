SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
-- schemamig.backfill: batches of primary-key ranges, one commit each.  The
-- NOTICE of each batch shows a rate, so only the deterministic ones show
-- here (test/t/171 checks the per-batch lines).
SET client_min_messages = warning;
CREATE TABLE bf_int (id int PRIMARY KEY, v int, n int NOT NULL DEFAULT 0);
INSERT INTO bf_int (id) SELECT g FROM generate_series(1, 95) g;
CALL schemamig.backfill('bf_int', 'v = id * 2, n = n + 1', batch_size => 10);
SELECT count(*) AS rows, min(n), max(n), bool_and(v = id * 2) AS all_set FROM bf_int;
SELECT relation, set_clause, where_clause, key_columns, last_key, batches, rows_updated,
       finished_at IS NOT NULL AS finished
  FROM schemamig.backfill_job;
-- the same job again: finished, nothing to do, nothing updated twice
RESET client_min_messages;
CALL schemamig.backfill('bf_int', 'v = id * 2, n = n + 1', batch_size => 10);
SELECT max(n) FROM bf_int;
SET client_min_messages = warning;

-- batch_size counts keys scanned, not rows updated; the where clause stays
-- inside its parentheses (an OR cannot widen the key range)
CALL schemamig.backfill('bf_int', 'n = n + 1', 'id < 3 OR id > 93', 40);
SELECT id, n FROM bf_int WHERE n > 1 ORDER BY id;

-- resumable: a batch that fails leaves the batches before it done, and the
-- same call continues after them, never redoing one
CREATE TABLE bf_ctl (stop int);
INSERT INTO bf_ctl VALUES (55);
CREATE FUNCTION bf_guard(i int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    IF i >= (SELECT stop FROM bf_ctl) THEN
        RAISE EXCEPTION 'interrupted at %', i;
    END IF;
    RETURN 1;
END $$;
CREATE TABLE bf_res (id int PRIMARY KEY, n int NOT NULL DEFAULT 0);
INSERT INTO bf_res SELECT g FROM generate_series(1, 95) g;
CALL schemamig.backfill('bf_res', 'n = n + bf_guard(id)', NULL, 10);
SELECT count(*) FILTER (WHERE n = 1) AS done, count(*) FILTER (WHERE n = 0) AS todo FROM bf_res;
SELECT batches, rows_updated, last_key, finished_at IS NULL AS unfinished
  FROM schemamig.backfill_job WHERE relation = 'bf_res'::regclass;
UPDATE bf_ctl SET stop = 1000;
CALL schemamig.backfill('bf_res', 'n = n + bf_guard(id)', NULL, 10);
SELECT count(*) AS rows, min(n), max(n) FROM bf_res;

-- text, uuid and composite primary keys
CREATE TABLE bf_text (k text COLLATE "C" PRIMARY KEY, done bool);
INSERT INTO bf_text SELECT 'key ' || g, false FROM generate_series(1, 25) g;
CALL schemamig.backfill('bf_text', 'done = true', batch_size => 7);
SELECT count(*) FILTER (WHERE done) AS done FROM bf_text;
SELECT last_key FROM schemamig.backfill_job WHERE relation = 'bf_text'::regclass;
CREATE TABLE bf_uuid (u uuid PRIMARY KEY, n int NOT NULL DEFAULT 0);
INSERT INTO bf_uuid SELECT md5(g::text)::uuid FROM generate_series(1, 30) g;
CALL schemamig.backfill('bf_uuid', 'n = n + 1', batch_size => 8);
SELECT count(*), min(n), max(n) FROM bf_uuid;
CREATE TABLE bf_comp (a int, b text, n int NOT NULL DEFAULT 0, PRIMARY KEY (a, b));
INSERT INTO bf_comp SELECT g % 4, 'b' || g, 0 FROM generate_series(1, 30) g;
CALL schemamig.backfill('bf_comp', 'n = n + 1', batch_size => 4);
SELECT count(*), min(n), max(n) FROM bf_comp;
SELECT key_columns, last_key FROM schemamig.backfill_job WHERE relation = 'bf_comp'::regclass;
-- an empty table: one batch, finished
CREATE TABLE bf_empty (id bigint PRIMARY KEY, v int);
CALL schemamig.backfill('bf_empty', 'v = 1');

-- refused
RESET client_min_messages;
BEGIN;
CALL schemamig.backfill('bf_int', 'v = 0');
ROLLBACK;
CREATE FUNCTION bf_call() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CALL schemamig.backfill('bf_int', 'v = 0'); END $$;
SELECT bf_call();
CREATE TABLE bf_nopk (id int, v int);
CALL schemamig.backfill('bf_nopk', 'v = 0');
CREATE VIEW bf_view AS SELECT * FROM bf_int;
CALL schemamig.backfill('bf_view', 'v = 0');
CALL schemamig.backfill('bf_int', 'v = 0; DROP TABLE bf_int');
CALL schemamig.backfill('bf_int', 'v = 0', 'true) OR (true');
-- a trailing comment cannot swallow the key range (10 batches of 10 keys)
SET client_min_messages = warning;
CALL schemamig.backfill('bf_int', 'n = n + 100 -- all rows?', 'id <= 20 -- all rows?', 10, '0');
RESET client_min_messages;
SELECT count(*) FILTER (WHERE n > 100) AS updated, (SELECT batches FROM schemamig.backfill_job WHERE set_clause LIKE '%all rows?') AS batches FROM bf_int;
CALL schemamig.backfill('bf_int', 'v = $1');
CALL schemamig.backfill('bf_int', 'v = 0 FROM bf_ctl');
CALL schemamig.backfill('bf_int', '');
CALL schemamig.backfill('bf_int', 'v = 0', batch_size => 0);
CALL schemamig.backfill('bf_int', 'v = 0', pause => '-1 s');
CALL schemamig.backfill(NULL, 'v = 0');
CALL schemamig.backfill('bf_int', 'nosuch = 0');
SELECT count(*) AS jobs FROM schemamig.backfill_job;

-- rights: the UPDATE runs as the caller; the job table is read-only to all
CREATE ROLE bf_reader;
GRANT SELECT ON bf_int TO bf_reader;
GRANT EXECUTE ON PROCEDURE schemamig.backfill(regclass, text, text, integer, interval) TO bf_reader;
SET ROLE bf_reader;
CALL schemamig.backfill('bf_int', 'v = 0');
INSERT INTO schemamig.backfill_job (relation, set_clause, key_columns, started_by)
  VALUES ('bf_int', 'v = 1', '{id}', 'x');
UPDATE schemamig.backfill_job SET finished_at = now();
SELECT count(*) > 0 AS can_read FROM schemamig.backfill_job;
RESET ROLE;
GRANT UPDATE ON bf_int TO bf_reader;
SET ROLE bf_reader;
SET client_min_messages = warning;
CALL schemamig.backfill('bf_int', 'v = -id', 'id <= 3');
RESET client_min_messages;
RESET ROLE;
SELECT started_by, rows_updated FROM schemamig.backfill_job WHERE set_clause = 'v = -id';
REVOKE ALL ON bf_int FROM bf_reader;
REVOKE EXECUTE ON PROCEDURE schemamig.backfill(regclass, text, text, integer, interval) FROM bf_reader;
DROP ROLE bf_reader;

-- in a migration: a revision that calls backfill must be non-transactional,
-- and runs top-level (plan() rows with \gexec, or the client)
SELECT schemamig.add_revision('bf1', 'backfill v', $$CALL schemamig.backfill('bf_int', 'v = 7')$$, NULL, '{}');
SELECT schemamig.add_revision('bf1', 'backfill v', $$CALL schemamig.backfill('bf_int', 'v = 7')$$, NULL, '{}',
                              transactional => false);
SELECT * FROM schemamig.upgrade('head');
SET client_min_messages = warning;
SELECT statement FROM schemamig.plan('head') \gexec
RESET client_min_messages;
SELECT revision FROM schemamig.version;
SELECT count(*) FILTER (WHERE v = 7) AS set_by_revision FROM bf_int;

DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE bf_int, bf_ctl, bf_res, bf_text, bf_uuid, bf_comp, bf_empty, bf_nopk CASCADE;
DROP FUNCTION bf_guard(int), bf_call();
