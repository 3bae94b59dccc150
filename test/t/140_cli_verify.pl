# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client: verify [TARGET], upgrade --dry-run [TARGET] and
# review REV against a server with schemamig.verify(), dry_run() and
# review(): their lines, --json, exit codes (DESIGN section 4), and that the
# files are synced first and nothing is left afterwards.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;
use CliTest;

cli_start('cli_verify');
fresh('verify');

# a migration file named after its revision
sub revision
{
	my ($id, $down, $msg, $up, $downsql) = @_;
	rev($id, $down, $msg, $up, $downsql, file => "$id.sql");
}

revision('a1', '', 'tasks', 'CREATE TABLE tasks (id int PRIMARY KEY, title text);', 'DROP TABLE tasks;');
cli([ 'upgrade', '-q' ], 0, '', qr/^$/, 'upgrade a1');
sql("INSERT INTO tasks VALUES (1, 'one'), (2, NULL)");

# ---- verify: nothing to do, then a good revision
cli([ 'verify' ], 0, "Nothing to verify between the current state and heads.\n", qr/^$/,
	'verify at the head');
revision('b2', 'a1', 'priority', 'ALTER TABLE tasks ADD COLUMN priority text;',
	'ALTER TABLE tasks DROP COLUMN priority;');
cli([ 'verify' ], 0,
	"b2 upgrade: ok\nb2 downgrade: ok\nb2 residue: ok\nb2 data: ok\nb2 reupgrade: ok\nAll 5 checks passed.\n",
	qr/^$/, 'verify syncs the new file and passes');
is(sql("SELECT count(*) FROM information_schema.columns WHERE column_name = 'priority'"), '0',
	'verify left no column');
is(sql("SELECT string_agg(revision, ',') FROM schemamig.version"), 'a1', 'verify left the version table');

# ---- verify: an index left behind, a downgrade that fails on the live rows
revision('c3', 'b2', 'index',
	"CREATE INDEX tasks_title ON tasks (title);\nCREATE INDEX tasks_prio ON tasks (priority);",
	'DROP INDEX tasks_title;');
revision('d4', 'c3', 'title optional then required',
	"ALTER TABLE tasks ADD COLUMN note text;",
	"ALTER TABLE tasks ALTER COLUMN title SET NOT NULL;\nALTER TABLE tasks DROP COLUMN note;");
my $out = cli([ 'verify' ], 1, qr/^c3 residue: FAILED, differs from before the upgrade: index tasks_prio of table public\.tasks left behind$/m,
	qr/^pg_schemamig: error: 3 verification checks failed$/m, 'verify names the faults');
like($out, qr/^d4 downgrade: FAILED, statement 1: column "title" of relation "tasks" contains null values/m,
	'the downgrade fails on the live rows');
like($out, qr/^c3 reupgrade: FAILED, statement 2: relation "tasks_prio" already exists/m,
	'the second upgrade trips over the residue');
cli([ 'verify', 'b2' ], 0, qr/^b2 reupgrade: ok$/m, qr/^$/, 'verify up to a target');

$out = cli([ 'verify', '--json', 'c3' ], 1, qr/^\[\{"revision":"b2","check":"upgrade","ok":true,"detail":null\}/,
	qr/^$/, 'verify --json');
like($out, qr/"revision":"c3","check":"residue","ok":false/, 'verify --json: the failure');
cli([ 'verify', 'nosuch' ], 1, '', qr/error: running schemamig.verify\(\): revision or branch label "nosuch" does not exist/,
	'verify an unknown target');
cli([ 'verify', 'a', 'b' ], 2, '', qr/wrong number of arguments/, 'verify: usage');

# ---- upgrade --dry-run
$out = cli([ 'upgrade', '--dry-run', 'c3' ], 0,
	qr/^revision +direction +# +ms +rows +locks +rewrites +statement$/m, qr/^$/, 'upgrade --dry-run');
like($out, qr/^b2 +upgrade +1 +[0-9.]+ +0 +AccessExclusiveLock on public\.tasks +ALTER TABLE tasks ADD COLUMN priority text$/m,
	'dry run: ADD COLUMN takes an AccessExclusiveLock');
like($out, qr/^c3 +upgrade +1 +[0-9.]+ +0 +AccessExclusiveLock on public\.tasks_title, ShareLock on public\.tasks +CREATE INDEX tasks_title ON tasks \(title\)$/m,
	'dry run: CREATE INDEX takes a ShareLock');
like($out, qr/^Dry run of 3 statements: everything was rolled back\.$/m, 'dry run: summary');
is(sql("SELECT count(*) FROM pg_class WHERE relname IN ('tasks_title', 'tasks_prio')"), '0', 'dry run left nothing');

revision('e5', 'd4', 'backfill and retype',
	"UPDATE tasks SET note = 'n';\nALTER TABLE tasks ALTER COLUMN id TYPE bigint;",
	"ALTER TABLE tasks ALTER COLUMN id TYPE int;");
$out = cli([ 'upgrade', '--dry-run', '--json' ], 0, qr/^\[\{"revision" : "b2"/, qr/^$/, 'upgrade --dry-run --json');
like($out, qr/"statement" : "UPDATE tasks SET note = 'n'", "duration_ms" : [0-9.]+, "locks" : \[[^]]*\], "rewrites" : \[\], "rows" : 2\}/,
	'dry run --json: the rows of an UPDATE');
like($out, qr/"statement" : "ALTER TABLE tasks ALTER COLUMN id TYPE bigint", "duration_ms" : [0-9.]+, "locks" : \[[^]]*\], "rewrites" : \["public.tasks"\]/,
	'dry run --json: the rewrite of ALTER COLUMN TYPE');

# a failing statement: exit 1, the revision and its file named
revision('f6', 'e5', 'not null', 'ALTER TABLE tasks ALTER COLUMN title SET NOT NULL;',
	'ALTER TABLE tasks ALTER COLUMN title DROP NOT NULL;');
cli([ 'upgrade', '--dry-run', 'f6' ], 1, '',
	qr/^pg_schemamig: error: dry run failed in revision f6 \(\S*f6\.sql:5\): column "title" of relation "tasks" contains null values \(SQLSTATE 23502\)$/m,
	'upgrade --dry-run: a failing statement');
cli([ 'upgrade', '--dry-run', '--sql' ], 2, '', qr/--sql and --dry-run cannot be used together/, '--dry-run with --sql');
cli([ 'downgrade', '--dry-run', 'base' ], 0,
	qr/^a1 +downgrade +1 +[0-9.]+ +0 +AccessExclusiveLock on public\.tasks, AccessExclusiveLock on public\.tasks_pkey +DROP TABLE tasks$/m,
	qr/^$/, 'downgrade --dry-run');
is(sql("SELECT count(*) FROM tasks"), '2', 'the rows are still there');

# ---- review: the data checks on the live rows
cli([ 'review', 'f6' ], 1,
	qr/^\S*f6\.sql:5: error: data-not-null-violation: would fail: 1 row of tasks have title NULL$/m,
	qr/^pg_schemamig: error: 1 error in revision f6$/m, 'review: a revision that would fail on the live rows');
cli([ 'review', 'b2' ], 0, qr/^\S*b2\.sql:\d+: warning: /m, qr/^$/, 'review: warnings only');
cli([ 'review', '--json', 'f6' ], 1, qr/"rule":"data-not-null-violation"/, qr/^$/, 'review --json');
cli([ 'review', 'nosuch' ], 1, '', qr/does not exist/, 'review an unknown revision');
cli([ 'review' ], 2, '', qr/wrong number of arguments/, 'review: usage');

# ---- the files are the truth: a revision registered without a file (a
# stray, synced from another checkout) is neither verified nor dry-run
unlink(dir() . "/$_.sql") for qw(c3 d4 e5 f6);
cli([ 'sync', '--prune', '-q' ], 0, '', qr/^$/, 'prune the revisions whose files are gone');
sql("SELECT schemamig.add_revision('s9', 'stray', 'CREATE TABLE stray (id int)', 'DROP TABLE stray', '{b2}')");
$out = cli([ 'verify' ], 0, qr/^b2 reupgrade: ok\nAll 5 checks passed\.$/m, qr/warning: revision s9 is registered but has no file/,
	'verify leaves the stray out');
unlike($out, qr/s9/, 'verify: no row for the stray');
cli([ 'upgrade', '--dry-run', 's9' ], 1, '', qr/upgrade to s9 would apply revision s9, which has no file/,
	'dry run of a stray: refused like upgrade');
$out = cli([ 'upgrade', '--dry-run' ], 0, qr/^b2 +upgrade +1 /m, qr/warning: revision s9/, 'dry run to the heads of the files');
unlike($out, qr/stray/, 'dry run: not the stray');

is(sql("SELECT string_agg(revision, ',') FROM schemamig.version"), 'a1', 'nothing was applied');
is(sql("SELECT count(*) FROM schemamig.log WHERE revision <> 'a1'"), '0', 'nothing was logged');

node()->stop;
done_testing();
