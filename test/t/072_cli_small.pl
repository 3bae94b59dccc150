# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 10, the small things: per-command
# --help, merge --rev-id in the help, history -i marks the applied
# revisions, init's next step mentions CREATE EXTENSION, -v sync does not
# say "registered" for a sync that is rolled back, free file names (the
# header is the identity) listed in graph order, and the downgrade of an
# applied revision may be amended (logged, the old text kept).
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

cli_start('cli_small');
fresh('small');

# ---- help
cli([ 'upgrade', '--help' ], 0, qr/\AUsage:\n  pg_schemamig upgrade \[TARGET\].*--each .*--lock-timeout/s, '', 'upgrade --help');
cli([ 'help', 'merge' ], 0, qr/pg_schemamig merge \[-m MSG\] \[--rev-id ID\] \[REV\.\.\.\].*--rev-id=ID/s, '', 'help merge');
cli([ 'downgrade', '-h' ], 0, qr/--orphans/, '', 'downgrade -h');
cli(['--help'], 0, qr/merge \[-m MSG\] \[--rev-id ID\].*"pg_schemamig COMMAND --help"/s, '', 'the general help');
cli([ 'frob', '--help' ], 2, '', qr/unknown command "frob"/, 'help of an unknown command');

# ---- init mentions CREATE EXTENSION
my $proj = dir() . '/../proj';
mkdir $proj;
cli([ 'init' ], 0, qr/Next: run CREATE EXTENSION pg_schemamig; in the database/, '', 'init: next steps', no_dir => 1, cwd => $proj);

# ---- free file names, listed (and registered) in graph order
rev('zz_base', '', 'create tasks', 'CREATE TABLE tasks (id int);', 'DROP TABLE tasks;', file => '20240102_0900_create_tasks.sql');
rev('aa_child', 'zz_base', 'add priority', 'ALTER TABLE tasks ADD priority text;', 'ALTER TABLE tasks DROP COLUMN priority;',
	file => '20240101_1200_add_priority.sql');
cli(['sync'], 0,
	qr/\ARegistered zz_base \(\S+20240102_0900_create_tasks\.sql\)\nRegistered aa_child \(\S+20240101_1200_add_priority\.sql\)\n/,
	'', 'free file names work; files are registered in graph order');
cli(['upgrade'], 0, "Running upgrade  -> zz_base, create tasks\nRunning upgrade zz_base -> aa_child, add priority\n", '',
	'upgrade with free file names');
cli([ 'show', 'aa_child' ], 0, qr/Path: \S+20240101_1200_add_priority\.sql/, '', 'show names the file');

# ---- history -i marks the applied revisions
rev('bb_next', 'aa_child', 'next', 'SELECT 1;', 'SELECT 1;', file => '20240103_next.sql');
cli([ 'history', '-i' ], 0,
	"aa_child -> bb_next (head), next\nzz_base -> aa_child (current), add priority\n<base> -> zz_base (applied), create tasks\n",
	'', 'history -i: current and applied');

# ---- -v sync does not claim a registration that was rolled back
rev('dd_new', 'bb_next', 'new', 'SELECT 4;', 'SELECT 4;', file => '20240104_new.sql');
rev('ee_typo', 'dd_new', 'typo', 'SELEC 1;', 'SELECT 1;', file => '20240105_typo.sql');
my (undef, $err) = cli([ '-v', 'sync' ], 1, '', qr/could not register revision ee_typo/, '-v sync with a bad file');
unlike($err, qr/registered dd_new/i, 'no "registered" line for the rolled-back registration');
is(sql("SELECT count(*) FROM schemamig.revision WHERE id = 'dd_new'"), '0', 'indeed nothing was registered');
unlink(dir() . '/20240105_typo.sql');
cli([ '-v', 'heads' ], 0, qr/dd_new/, qr/info: registered dd_new \(/, 'a verbose implicit sync says "registered" once it is committed');

# ---- amend the downgrade of an applied revision
rev('aa_child', 'zz_base', 'add priority', 'ALTER TABLE tasks ADD priority text;',
	'ALTER TABLE tasks DROP COLUMN IF EXISTS priority;', file => '20240101_1200_add_priority.sql');
cli(['sync'], 0,
	qr/Amended the downgrade of applied revision aa_child \(\S+20240101_1200_add_priority\.sql\); the old text is kept in schemamig\.revision_amendment/,
	'', 'the downgrade of an applied revision may be corrected');
is(sql("SELECT old_downgrade_sql || ' => ' || new_downgrade_sql FROM schemamig.revision_amendment WHERE revision = 'aa_child'"),
	'ALTER TABLE tasks DROP COLUMN priority; => ALTER TABLE tasks DROP COLUMN IF EXISTS priority;', 'the old text is kept');
cli(['check'], 0, "No problems detected.\n", '', 'check: an amended downgrade is no changed checksum');
rev('aa_child', 'zz_base', 'add priority', 'ALTER TABLE tasks ADD priority varchar(10);',
	'ALTER TABLE tasks DROP COLUMN IF EXISTS priority;', file => '20240101_1200_add_priority.sql');
cli(['sync'], 1, '', qr/revision aa_child was changed after it was applied.*only the downgrade section of an applied revision may be corrected/s,
	'the upgrade of an applied revision stays immutable');

done_testing();
