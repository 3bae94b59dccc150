# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 8: lint in CI.  A downgrade is linted
# knowing what its own upgrade created (no ban-drop-column for undoing an
# add-column, no ban-drop-table for a table the upgrade created); --fail-on
# warning|error; --json; the upgrade-time lint warning names file:line.
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

cli_start('cli_lint_ci');
fresh('lintci');
sql('CREATE TABLE tasks (id int PRIMARY KEY, title text); INSERT INTO tasks VALUES (1, NULL)');
rev('l1', '', 'add priority', 'ALTER TABLE tasks ADD COLUMN priority text;', 'ALTER TABLE tasks DROP COLUMN priority;');
rev('l2', 'l1', 'create tags', 'CREATE TABLE tags (name text);', 'DROP TABLE tags;');
rev('l3', 'l2', 'drop title', 'ALTER TABLE tasks DROP COLUMN title;', 'ALTER TABLE tasks ADD COLUMN title text;');
my @files = map { dir() . "/${_}_x.sql" } qw(l1 l2 l3);

my ($out) = cli([ 'lint', @files ], 0, qr/l3_x\.sql:5: warning: ban-drop-column: dropping column title of tasks/, '',
	'lint: the real drop is a warning');
unlike($out, qr/l1_x\.sql:7: warning/, 'no warning for undoing an add-column of the same revision');
unlike($out, qr/l2_x\.sql:7: warning/, 'no warning for dropping a table the same upgrade created');
unlike($out, qr/about 0 rows/, 'no "about 0 rows"');
cli([ '-v', 'lint', $files[0] ], 0, qr/l1_x\.sql:7: info: ban-drop-column: .*\(it undoes what the upgrade of the same revision created\)/,
	qr//, '--verbose shows it as info');
cli([ 'lint', '--fail-on', 'warning', @files ], 1, qr/ban-drop-column/, '', '--fail-on warning fails on a warning');
cli([ 'lint', '--fail-on=error', @files ], 0, qr/ban-drop-column/, '', '--fail-on error does not');
cli([ 'lint', '--fail-on=never', @files ], 2, '', qr/invalid value "never" for --fail-on \(warning or error\)/,
	'--fail-on takes warning or error');
cli([ 'lint', '--json', $files[2] ], 0,
	qr/^\[\{"file":"[^"]*l3_x\.sql","line":5,"section":"upgrade","severity":"warning","rule":"ban-drop-column","message":"[^"]*","hint":"[^"]*"\}/,
	'', 'lint --json');

# the upgrade-time lint warning names file:line, not "statement 1"
rev('l4', 'l3', 'required column', "SELECT 1;\nALTER TABLE tasks ADD COLUMN owner text NOT NULL;", 'ALTER TABLE tasks DROP COLUMN owner;');
cli([ 'upgrade', 'l3' ], 0, qr/Running upgrade l2 -> l3/, qr//, 'upgrade to l3');
cli([ 'upgrade' ], 1, qr/Running upgrade l3 -> l4/,
	qr/\S+l4_x\.sql:6: warning: would fail: column owner is NOT NULL without a default/,
	'the upgrade-time warning names file:line');

done_testing();
