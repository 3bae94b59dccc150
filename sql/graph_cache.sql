-- The per-backend graph cache (src/graph/graph_load.c): every way the
-- revision table can change is seen by the next call of the same session.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

SELECT schemamig.add_revision('c1', 'one', 'SELECT 1', 'SELECT 1', down_revisions => '{}');
SELECT revision FROM schemamig.heads();

-- a superuser's direct INSERT (the revision_written trigger)
INSERT INTO schemamig.revision (id, message, down_revisions, upgrade_sql, downgrade_sql,
                                checksum, checksum_algorithm)
VALUES ('c2', 'direct', '{c1}', 'SELECT 2', 'SELECT 2',
        schemamig.checksum('SELECT 2', 'SELECT 2'), 'pgtok-sha256-v1');
SELECT revision FROM schemamig.heads();
SELECT step, revision, statement FROM schemamig.plan('heads') ORDER BY step, statement;

-- a direct UPDATE of the SQL reaches plan() at once
UPDATE schemamig.revision SET upgrade_sql = 'SELECT 22',
       checksum = schemamig.checksum('SELECT 22', 'SELECT 2') WHERE id = 'c2';
SELECT statement FROM schemamig.plan('c2') WHERE statement LIKE 'SELECT 2%';

-- work rolled back is forgotten, in a transaction and in a savepoint
BEGIN;
SELECT schemamig.add_revision('c3', 'three', 'SELECT 3', 'SELECT 3');
SELECT revision FROM schemamig.heads();
ROLLBACK;
SELECT revision FROM schemamig.heads();
BEGIN;
SELECT revision FROM schemamig.heads();
SAVEPOINT s;
DELETE FROM schemamig.revision WHERE id = 'c2';
SELECT revision FROM schemamig.heads();
ROLLBACK TO SAVEPOINT s;
SELECT revision FROM schemamig.heads();
SAVEPOINT s2;
SELECT schemamig.add_revision('c3', 'three', 'SELECT 3', 'SELECT 3');
SELECT revision FROM schemamig.heads();
ROLLBACK TO SAVEPOINT s2;
SELECT revision FROM schemamig.heads();
COMMIT;

-- the trigger also fires for a replication-role session
SET session_replication_role = replica;
INSERT INTO schemamig.revision (id, message, down_revisions, upgrade_sql, downgrade_sql,
                                checksum, checksum_algorithm)
VALUES ('c3', 'replica', '{c2}', 'SELECT 3', 'SELECT 3',
        schemamig.checksum('SELECT 3', 'SELECT 3'), 'pgtok-sha256-v1');
RESET session_replication_role;
SELECT revision FROM schemamig.heads();

-- with the trigger disabled, the relcache invalidation still drops the cache
ALTER TABLE schemamig.revision DISABLE TRIGGER revision_written;
DELETE FROM schemamig.revision WHERE id = 'c3';
ALTER TABLE schemamig.revision ENABLE ALWAYS TRIGGER revision_written;
SELECT revision FROM schemamig.heads();

-- a revision applied, then the SQL loaded into a cached graph (upgrade_each
-- path) and reused by a later call
SET client_min_messages = warning;
SELECT revision FROM schemamig.upgrade('c1');
CALL schemamig.upgrade_each('heads');
SELECT revision FROM schemamig.current();
SELECT revision, direction FROM schemamig.downgrade('base');
RESET client_min_messages;

-- TRUNCATE (a relcache invalidation and the trigger)
TRUNCATE schemamig.revision CASCADE;
SELECT count(*) AS heads_after_truncate FROM schemamig.heads();

-- recreated extension: a new state row, never the old graph
SELECT schemamig.add_revision('d1', 'one', 'SELECT 1', 'SELECT 1', down_revisions => '{}');
SELECT revision FROM schemamig.heads();
SET client_min_messages = warning;
DROP EXTENSION pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
SELECT count(*) AS heads_after_recreate FROM schemamig.heads();
SELECT schemamig.add_revision('e1', 'one', 'SELECT 1', 'SELECT 1', down_revisions => '{}');
SELECT revision FROM schemamig.heads();

-- a role that may not read the revision table never gets the cached graph
CREATE ROLE sm_cache_reader;
GRANT SELECT ON schemamig.revision, schemamig.version TO sm_cache_reader;
REVOKE SELECT ON schemamig.revision FROM PUBLIC;
SELECT revision FROM schemamig.heads();
SET ROLE sm_cache_reader;
SELECT revision FROM schemamig.heads();
RESET ROLE;
REVOKE SELECT ON schemamig.revision FROM sm_cache_reader;
SELECT revision FROM schemamig.heads();
SET ROLE sm_cache_reader;
SELECT revision FROM schemamig.heads();
RESET ROLE;
-- nor one that row security would show only some rows
GRANT SELECT ON schemamig.revision TO sm_cache_reader;
ALTER TABLE schemamig.revision ENABLE ROW LEVEL SECURITY;
CREATE POLICY none_for_reader ON schemamig.revision TO sm_cache_reader USING (false);
SELECT revision FROM schemamig.heads();
SET ROLE sm_cache_reader;
SELECT count(*) AS heads_seen_by_reader FROM schemamig.heads();
RESET ROLE;
SELECT revision FROM schemamig.heads();
DROP POLICY none_for_reader ON schemamig.revision;
ALTER TABLE schemamig.revision DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON schemamig.revision, schemamig.version FROM sm_cache_reader;
GRANT SELECT ON schemamig.revision TO PUBLIC;
DROP ROLE sm_cache_reader;

-- the trigger function refuses a direct call
SELECT schemamig._revision_written();

SET client_min_messages = warning;
DROP EXTENSION pg_schemamig CASCADE;
