-- Issue 10, item 10: DROP EXTENSION pg_schemamig while revisions are
-- applied would erase their history (and a later CREATE EXTENSION would
-- report a clean check() over tables they created): it is refused unless
-- schemamig.allow_drop_extension is on.  test/regress.conf turns it on for
-- the other suites; here it is off.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
DROP TABLE IF EXISTS x_t;
\set VERBOSITY default
SET schemamig.allow_drop_extension = off;

SELECT schemamig.add_revision('x1', 'base', 'CREATE TABLE x_t (id int)', 'DROP TABLE x_t', '{}');
-- nothing applied: dropping is allowed (and rolled back here)
BEGIN;
DROP EXTENSION pg_schemamig;
ROLLBACK;
SELECT count(*) FROM schemamig.upgrade('head');
DROP EXTENSION pg_schemamig;
DROP EXTENSION pg_schemamig CASCADE;
DROP EXTENSION IF EXISTS pg_schemamig, sm_no_such_extension;
-- the history is still there
SELECT revision FROM schemamig.version;
-- after a downgrade to base it may go
SELECT count(*) FROM schemamig.downgrade('base');
BEGIN;
DROP EXTENSION pg_schemamig;
ROLLBACK;
-- or when the user says so
SELECT count(*) FROM schemamig.upgrade('head');
SET schemamig.allow_drop_extension = on;
DROP EXTENSION pg_schemamig;
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'pg_schemamig';
DROP TABLE x_t;
