SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse
-- "-- schemamig:allow rule[,rule] [reason]" before a statement turns that
-- statement's findings of those rules into info findings.
SET schemamig.lock_timeout = '2s';
SET schemamig.statement_timeout = '1min';
SELECT severity, rule, statement, message FROM schemamig.lint(
'-- schemamig:allow require-concurrent-index-creation built off-peak by ops
CREATE INDEX ON nosuch (a);
CREATE INDEX ON nosuch (b);');
-- several rules, no reason; only the named rules are silenced
SELECT severity, rule, statement, message FROM schemamig.lint(
'CREATE TABLE x (id bigint PRIMARY KEY);
/* schemamig:allow ban-drop-column,renaming-column */
ALTER TABLE nosuch DROP COLUMN a, ALTER COLUMN b SET NOT NULL;
ALTER TABLE nosuch RENAME COLUMN c TO d;') WHERE rule <> 'require-table-schema';
-- an unknown rule is reported; the statement's findings stay
SELECT severity, rule, statement, location, message FROM schemamig.lint(
'-- schemamig:allow no-such-rule because
DROP TABLE nosuch;');
-- the comment inside a statement or after the last one does nothing
SELECT severity, rule, statement FROM schemamig.lint(
'DROP TABLE nosuch -- schemamig:allow ban-drop-table
;');
-- severity error findings suppressed too (they no longer stop upgrade())
SELECT severity, rule, message FROM schemamig.lint(
'-- schemamig:allow ban-truncate-cascade test fixtures only
TRUNCATE nosuch CASCADE');
DROP EXTENSION pg_schemamig CASCADE;
