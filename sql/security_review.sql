-- Issue 10, item 1: review() counts the rows a revision's constraint would
-- reject, but nothing the revision (or a table's owner) supplies may run
-- with the reviewer's rights: an expression that calls a function owned by
-- a plain role, reads through row-level security, or checks a domain is
-- reported as not checked, and never evaluated.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
DROP TABLE IF EXISTS sr_t, sr_rls;
DROP SCHEMA IF EXISTS sr CASCADE;
DROP ROLE IF EXISTS sr_plain;
DROP ROLE IF EXISTS sr_reviewer;
\set VERBOSITY terse

CREATE ROLE sr_plain;
CREATE SCHEMA sr AUTHORIZATION sr_plain;
CREATE TABLE sr_t (id int, v int);
INSERT INTO sr_t SELECT i, i - 3 FROM generate_series(1, 10) i;
ALTER TABLE sr_t OWNER TO sr_plain;
SET ROLE sr_plain;
-- a plain role's function, lying about its volatility; it says who ran it
CREATE FUNCTION sr.sr_spy(x int) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RAISE WARNING 'sr_spy ran as %', current_user;
  RETURN true;
END $$;
-- a constraint of its own table, to be validated by a later revision
ALTER TABLE sr_t ADD CONSTRAINT sr_t_spy CHECK (sr.sr_spy(v)) NOT VALID;
CREATE DOMAIN sr.sr_dom AS int CHECK (sr.sr_spy(VALUE));
RESET ROLE;

SELECT schemamig.add_revision('s1', 'checks',
$$ALTER TABLE sr_t ADD CONSTRAINT sr_pos CHECK (v > 0);
ALTER TABLE sr_t ADD CONSTRAINT sr_spy_q CHECK (sr.sr_spy(v));
ALTER TABLE sr_t ADD CONSTRAINT sr_spy_u CHECK (sr_spy(v));
ALTER TABLE sr_t ADD CONSTRAINT sr_dom_c CHECK (v::sr.sr_dom IS NOT NULL);
ALTER TABLE sr_t ADD CONSTRAINT sr_set CHECK (pg_catalog.set_config('a.b', 'c', true) IS NOT NULL);
ALTER TABLE sr_t VALIDATE CONSTRAINT sr_t_spy;$$, NULL, '{}');
-- the reviewer is a superuser: no "sr_spy ran as" warning may appear,
-- even where sr_spy would resolve unqualified
SET search_path = sr, public;
SELECT severity, rule, statement, message FROM schemamig.review('s1')
 WHERE rule LIKE 'data-%' ORDER BY statement;

RESET search_path;
-- row-level security: a non-superuser reviewer would run the policy
CREATE TABLE sr_rls (id int, v int);
INSERT INTO sr_rls VALUES (1, -1), (2, 2);
ALTER TABLE sr_rls OWNER TO sr_plain;
SET ROLE sr_plain;
ALTER TABLE sr_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY sr_rls_spy ON sr_rls USING (sr.sr_spy(v));
GRANT SELECT ON sr_rls TO PUBLIC;
RESET ROLE;
SELECT schemamig.add_revision('s2', 'rls', 'ALTER TABLE sr_rls ADD CONSTRAINT sr_rls_pos CHECK (v > 0)', NULL, ARRAY['s1']);
CREATE ROLE sr_reviewer;
SET ROLE sr_reviewer;
SELECT severity, rule, statement, message FROM schemamig.review('s2')
 WHERE rule LIKE 'data-%' ORDER BY statement;
RESET ROLE;
-- the table's owner (RLS does not apply to it) gets the count
SET ROLE sr_plain;
SELECT severity, rule, statement, message FROM schemamig.review('s2')
 WHERE rule LIKE 'data-%' ORDER BY statement;
RESET ROLE;

SET client_min_messages = warning;
DROP EXTENSION pg_schemamig CASCADE;
DROP TABLE sr_t, sr_rls;
DROP SCHEMA sr CASCADE;
DROP ROLE sr_plain;
DROP ROLE sr_reviewer;
