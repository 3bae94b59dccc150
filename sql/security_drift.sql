-- Issue 10, items 3 and 13: the drift log cannot be bypassed with an
-- application_name, stores each command's own statement (not the whole
-- client message), redacts secrets, and shows statement texts only to the
-- roles allowed to read them.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
DROP TABLE IF EXISTS dm1, dm2, dm3, dm4;
DROP SERVER IF EXISTS dm_srv CASCADE;
DROP SUBSCRIPTION IF EXISTS dm_sub;
DROP ROLE IF EXISTS dm_reader;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
RESET client_min_messages;
SELECT schemamig.acknowledge_drift() >= 0 AS cleared;
DELETE FROM schemamig.drift;

-- item 13: one client message with several commands (as psql -c sends a
-- file): each row stores its own command
CREATE TABLE dm1 (id int); CREATE TABLE dm2 (id int); SELECT 1 AS other_work \g
SELECT command_tag, object_identity, statement FROM schemamig.drift ORDER BY id;
SELECT max(length(statement)) < 30 AS short FROM schemamig.drift;

-- item 3: a Citus application_name on a server without Citus hides nothing
SET application_name = 'citus_internal gpid=10000000001';
CREATE TABLE dm3 (id int);
RESET application_name;
SELECT application_name, object_identity FROM schemamig.drift
 WHERE object_identity = 'public.dm3';

-- item 3: secrets are redacted, the rest of the command is kept
CREATE SERVER dm_srv FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.internal', dbname 'app');
CREATE USER MAPPING FOR CURRENT_USER SERVER dm_srv OPTIONS (user 'bob', password 'hunter2');
ALTER USER MAPPING FOR CURRENT_USER SERVER dm_srv OPTIONS (SET password 'it''s $ecret');
CREATE SUBSCRIPTION dm_sub CONNECTION 'host=db.internal user=rep password=s3cr3t dbname=app'
  PUBLICATION p WITH (connect = false);
ALTER SUBSCRIPTION dm_sub CONNECTION 'host=db.internal password=n3w';
CREATE TABLE dm4 (id int); ALTER ROLE CURRENT_USER PASSWORD NULL; SELECT 1 AS other_work \g
SELECT command_tag, statement FROM schemamig.drift
 WHERE command_tag IN ('CREATE SERVER', 'CREATE USER MAPPING', 'ALTER USER MAPPING',
                       'CREATE SUBSCRIPTION', 'ALTER SUBSCRIPTION')
    OR object_identity = 'public.dm4'
 ORDER BY id;
SELECT count(*) AS leaked FROM schemamig.drift
 WHERE statement ~ '(hunter2|ecret|s3cr3t|n3w|PASSWORD)';

-- statement texts are not for every role; the rest of a row is
CREATE ROLE dm_reader;
SET ROLE dm_reader;
SELECT count(*) > 0 AS rows_visible FROM schemamig.drift;
SELECT command_tag FROM schemamig.drift WHERE object_identity = 'public.dm1';
SELECT statement FROM schemamig.drift;
SELECT severity, problem FROM schemamig.check() WHERE problem = 'drift' LIMIT 1;
RESET ROLE;
GRANT SELECT (statement) ON schemamig.drift TO dm_reader;
SET ROLE dm_reader;
SELECT statement FROM schemamig.drift WHERE object_identity = 'public.dm1';
RESET ROLE;

SET client_min_messages = warning;
ALTER SUBSCRIPTION dm_sub SET (slot_name = NONE);
DROP SUBSCRIPTION dm_sub;
DROP SERVER dm_srv CASCADE;
DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE dm1, dm2, dm3, dm4;
DROP ROLE dm_reader;
