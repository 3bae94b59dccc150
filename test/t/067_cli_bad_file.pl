# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 5: one bad file never blocks the
# reading commands.  current, history and check still answer, naming the
# bad file and line; a SQL typo's sync error carries the line number, as
# lint does; commands that change something refuse; check --no-sync does
# not say "No problems detected" when files and database differ.
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

cli_start('cli_bad_file');
fresh('bad');
rev('a1', '', 'create tasks', 'CREATE TABLE tasks (id int);', 'DROP TABLE tasks;');
rev('a2', 'a1', 'add title', 'ALTER TABLE tasks ADD title text;', 'ALTER TABLE tasks DROP COLUMN title;');
cli([ '-q', 'upgrade' ], 0, '', '', 'deployed');

# a broken header
SchemamigTest::write_file(dir() . '/a3_x.sql', "-- revision: a3\n-- down_revision: a2\n-- colour: blue\n-- +upgrade\nSELECT 1;\n-- +downgrade\n");
cli(['current'], 0, "a2 (head)\n",
	qr/warning: \S+a3_x\.sql:3: unknown header "colour".*\n.*warning: 1 migration file left out; answering from the revisions registered in the database, without a sync/,
	'current answers despite a bad header');
cli(['history'], 0, "a1 -> a2 (head), add title\n<base> -> a1, create tasks\n", qr/a3_x\.sql:3: unknown header/,
	'history answers');
cli(['check'], 1, qr/^error: unreadable migration file: \S+a3_x\.sql:3: unknown header "colour"/m, qr//,
	'check names the bad file and line, and fails');
cli(['upgrade'], 1, '', qr/error: \S+a3_x\.sql:3: unknown header "colour"/, 'upgrade refuses');

# a child of the bad file is left out too, with a reason
rev('a4', 'a3', 'after the bad one', 'SELECT 4;', 'SELECT 4;');
cli(['current'], 0, "a2 (head)\n", qr/a4_x\.sql:2: unknown down_revision "a3".*\n.*2 migration files left out/,
	'a child of a bad file is left out too, and says why');
unlink(dir() . '/a4_x.sql');

# a SQL typo: sync names file:line, the reading commands still answer
rev('a3', 'a2', 'typo', "CREATE TABLE notes (id int);\nSELEC 1;", 'DROP TABLE notes;');
cli(['sync'], 1, '', qr/error: could not register revision a3 \(\S+a3_x\.sql:6\): syntax error at or near "SELEC" \(SQLSTATE 42601\)/,
	'the sync error of a SQL typo has the line');
cli([ 'lint', dir() . '/a3_x.sql' ], 1, qr/a3_x\.sql:6: error: syntax-error/, qr//, 'lint says the same line');
cli(['current'], 0, "a2 (head)\n",
	qr/a3_x\.sql:6\).*warning: the files could not be synced \(above\); answering from the revisions registered in the database/s,
	'current answers despite the typo');
cli(['check'], 1, qr/^warning: unregistered file: \S+a3_x\.sql \(revision a3\) is not registered/m,
	qr/a3_x\.sql:6/, 'check reports the file it could not sync');

# check --no-sync: files and database differ
rev('a3', 'a2', 'notes', 'CREATE TABLE notes (id int);', 'DROP TABLE notes;');
cli([ 'check', '--no-sync' ], 0, qr/^warning: unregistered file: \S+a3_x\.sql \(revision a3\) is not registered in the database; a sync registers it\n\z/,
	'', 'check --no-sync names an unregistered file');
cli([ 'check', '--no-sync', '--fail-on', 'warning' ], 1, qr/unregistered file/, '', '--fail-on warning fails on it');
rev('a2', 'a1', 'add title', 'ALTER TABLE tasks ADD title varchar(20);', 'ALTER TABLE tasks DROP COLUMN title;');
cli([ 'check', '--no-sync' ], 1, qr/^error: applied revision changed: \S+a2_x\.sql differs from applied revision a2 as registered/m,
	'', 'check --no-sync names an applied revision whose file changed');
unlike((cli([ 'check', '--no-sync' ], 1, qr//, '', 'once more'))[0], qr/No problems detected/, 'never "No problems detected"');

done_testing();
