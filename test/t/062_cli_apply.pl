# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, applying migrations: upgrade/downgrade online (one
# transaction) and through plan() when a non-transactional revision (CREATE
# INDEX CONCURRENTLY) is in the way, relative targets, offline --sql
# scripts, a failed migration mid-history (exit 1, nothing half-applied),
# irreversible revisions, and the round trip (upgrade head, downgrade base:
# an empty schema again).
use strict;
use warnings;
use File::Path qw(make_path remove_tree);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

# the installed client (SchemamigTest.pm)
my @client = client_command();

my $node = PostgreSQL::Test::Cluster->new('cli_apply');
$node->init;
$node->start;

my $tmp = PostgreSQL::Test::Utils::tempdir;
my $dir = "$tmp/migrations";
delete $ENV{DATABASE_URL};

sub rev
{
	my ($id, $down, $msg, $up, $downsql, %opt) = @_;
	my $text = "-- revision: $id\n-- down_revision: $down\n";
	$text .= "-- transactional: false\n" if $opt{nontx};
	$text .= "-- irreversible: true\n" unless defined $downsql;
	$text .= "-- message: $msg\n-- +upgrade\n$up\n";
	$text .= "-- +downgrade\n$downsql\n" if defined $downsql;
	write_file("$dir/${id}_x.sql", $text);
}

my $db = 'postgres';

sub cli
{
	my ($args, $ret, $out, $err, $name) = @_;
	my ($stdout, $stderr);
	local %ENV = %ENV;
	$ENV{PGHOST} = $node->host;
	$ENV{PGPORT} = $node->port;
	IPC::Run::run([ @client, '-d', "dbname=$db", '-D', $dir, @$args ], '>', \$stdout, '2>', \$stderr);
	is($? >> 8, $ret, "$name: exit status");
	if (ref $out) { like($stdout, $out, "$name: stdout"); }
	else { is($stdout, $out, "$name: stdout"); }
	like($stderr, $err, "$name: stderr");
	return $stdout;
}

sub sql { return $node->safe_psql($db, $_[0]); }

# a fresh database with the extension and an empty migrations folder
sub fresh
{
	$db = shift;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION pg_schemamig');
	remove_tree($dir);
	make_path($dir);
}

sub public_objects
{
	return sql("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace");
}

# ---- transactional history: one transaction
fresh('tx');
rev('a1', '', 'create tasks', 'CREATE TABLE tasks (id int PRIMARY KEY, title text);', 'DROP TABLE tasks;');
rev('b2', 'a1', 'add priority', "ALTER TABLE tasks ADD COLUMN priority text NOT NULL DEFAULT 'medium';",
	'ALTER TABLE tasks DROP COLUMN priority;');
rev('c3', 'b2', 'tags', "CREATE TABLE tags (name text);\nINSERT INTO tags VALUES ('a'), ('b');", 'DROP TABLE tags;');
cli([ 'upgrade', 'b2' ], 0,
	"Running upgrade  -> a1, create tasks\nRunning upgrade a1 -> b2, add priority\n", qr/^$/, 'upgrade to a revision');
cli(['current'], 0, "b2\n", qr/^$/, 'current after a partial upgrade');
cli(['upgrade'], 0, "Running upgrade b2 -> c3, tags\n", qr/^$/, 'upgrade defaults to head');
cli(['current'], 0, "c3 (head)\n", qr/^$/, 'current at head');
is(sql('SELECT count(*) FROM tags'), '2', 'revision SQL ran');
cli(['upgrade'], 0, '', qr/^$/, 'upgrade at head does nothing');
cli([ 'downgrade', '-1' ], 0, "Running downgrade c3 -> b2, tags\n", qr/^$/, 'downgrade -1');
cli([ 'upgrade', '+1' ], 0, "Running upgrade b2 -> c3, tags\n", qr/^$/, 'upgrade +1');
cli([ 'downgrade', 'base' ], 0,
	"Running downgrade c3 -> b2, tags\nRunning downgrade b2 -> a1, add priority\nRunning downgrade a1 -> , create tasks\n",
	qr/^$/, 'downgrade base');
is(public_objects(), '0', 'round trip: downgrade base leaves an empty schema');
cli(['current'], 0, '', qr/^$/, 'nothing applied after downgrade base');
cli([ '-q', 'upgrade', 'head' ], 0, '', qr/^$/, 're-deploy with --quiet');
cli(['current'], 0, "c3 (head)\n", qr/^$/, 're-deployed');

# ---- offline scripts
my $script = cli([ 'upgrade', 'base:head', '--sql' ], 0, qr/CREATE TABLE tasks.*ALTER TABLE tasks ADD COLUMN priority.*CREATE TABLE tags/s,
	qr/^$/, 'upgrade --sql');
$node->safe_psql('postgres', 'CREATE DATABASE offline');
$node->safe_psql('offline', 'CREATE EXTENSION pg_schemamig');
$node->safe_psql('offline', $script);
is($node->safe_psql('offline', 'SELECT string_agg(revision, \',\') FROM schemamig.current()'), 'c3',
	'the offline script applies the history in a database without the revisions');
is($node->safe_psql('offline', 'SELECT count(*) FROM tags'), '2', 'the offline script ran the SQL');
cli([ 'downgrade', 'head:base', '--sql' ], 0, qr/DROP TABLE tags.*DROP COLUMN priority.*DROP TABLE tasks/s, qr/^$/,
	'downgrade --sql');
cli([ 'downgrade', 'c3:b2', '--sql' ], 0, qr/DROP TABLE tags/, qr/^$/, 'downgrade --sql from a revision id');
cli(['current'], 0, "c3 (head)\n", qr/^$/, '--sql changes nothing');

# ---- a failed migration mid-history: exit 1, nothing of that call applied
fresh('fail');
rev('a1', '', 'create tasks', 'CREATE TABLE tasks (id int PRIMARY KEY);', 'DROP TABLE tasks;');
rev('b2', 'a1', 'add title', 'ALTER TABLE tasks ADD COLUMN title text;', 'ALTER TABLE tasks DROP COLUMN title;');
rev('c3', 'b2', 'broken', "CREATE TABLE notes (id int);\n\nALTER TABLE nope ADD COLUMN x int;", 'DROP TABLE notes;');
rev('d4', 'c3', 'after', 'CREATE TABLE later (id int);', 'DROP TABLE later;');
# each step prints as it starts (progress), then the failure rolls them back
cli([ 'upgrade', 'head' ], 1, "Running upgrade  -> a1, create tasks\nRunning upgrade a1 -> b2, add title\nRunning upgrade b2 -> c3, broken\n",
	qr/error: upgrade failed in revision c3 \(\S+c3_x\.sql:7\): relation "nope" does not exist \(SQLSTATE 42P01\)/,
	'failing revision: exit 1, names the revision, file, message and SQLSTATE');
cli(['current'], 0, '', qr/^$/, 'nothing applied');
is(public_objects(), '0', 'no table of the failed upgrade left behind');
rev('c3', 'b2', 'fixed', 'CREATE TABLE notes (id int);', 'DROP TABLE notes;');
cli([ 'upgrade', 'head' ], 0, qr/Running upgrade c3 -> d4, after\n\z/, qr/^$/,
	'after fixing the unapplied revision, upgrade succeeds');

# irreversible revision stops a downgrade before anything runs
rev('e5', 'd4', 'one way', 'DROP TABLE later;', undef);
cli([ 'upgrade', 'head' ], 0, "Running upgrade d4 -> e5, one way\n", qr/^$/, 'upgrade an irreversible revision');
cli([ 'downgrade', 'base' ], 1, '', qr/error: downgrade failed.*e5/, 'irreversible revision refuses downgrade');
cli(['current'], 0, "e5 (head)\n", qr/^$/, 'nothing was downgraded');

# ---- non-transactional revision: CREATE INDEX CONCURRENTLY from the client
fresh('conc');
rev('a1', '', 'create tasks', "CREATE TABLE tasks (id int PRIMARY KEY, title text);\nINSERT INTO tasks SELECT g, 't' || g FROM generate_series(1, 1000) g;",
	'DROP TABLE tasks;');
rev('b2', 'a1', 'index title', 'CREATE INDEX CONCURRENTLY tasks_title_idx ON tasks (title);',
	'DROP INDEX CONCURRENTLY tasks_title_idx;', nontx => 1);
rev('c3', 'b2', 'add done', 'ALTER TABLE tasks ADD COLUMN done boolean;', 'ALTER TABLE tasks DROP COLUMN done;');
cli([ 'upgrade', 'head' ], 0,
	"Running upgrade  -> a1, create tasks\nRunning upgrade a1 -> b2, index title\nRunning upgrade b2 -> c3, add done\n",
	qr/^$/, 'upgrade through a CONCURRENTLY revision');
is(sql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'tasks_title_idx'::regclass"), 't',
	'the index was built concurrently and is valid');
cli(['current'], 0, "c3 (head)\n", qr/^$/, 'bookkeeping done for every revision');
is(sql("SELECT string_agg(revision || ':' || direction, ',' ORDER BY id) FROM schemamig.log"),
	'a1:upgrade,b2:upgrade,c3:upgrade', 'each step logged once');
cli([ 'downgrade', 'base' ], 0,
	"Running downgrade c3 -> b2, add done\nRunning downgrade b2 -> a1, index title\nRunning downgrade a1 -> , create tasks\n",
	qr/^$/, 'downgrade through a CONCURRENTLY revision');
is(public_objects(), '0', 'round trip through CONCURRENTLY leaves an empty schema');

# a failure after the concurrent revision: the revisions before it stay
# applied (each is its own transaction there), the failing one is not
rev('d4', 'c3', 'broken', "CREATE TABLE notes (id int);\nALTER TABLE nope ADD COLUMN x int;", 'DROP TABLE notes;');
cli([ 'upgrade', 'head' ], 1, qr/Running upgrade c3 -> d4, broken\n\z/,
	qr/error: upgrade failed in revision d4 \(\S+d4_x\.sql:6\): relation "nope" does not exist \(SQLSTATE 42P01\)/,
	'failure after a concurrent revision');
cli(['current'], 0, "c3\n", qr/^$/, 'revisions before the failing one stay applied');
is(sql("SELECT count(*) FROM pg_class WHERE relname = 'notes'"), '0', 'the failing revision left nothing behind');

# ---- a failed concurrent index build: its INVALID index is dropped, so a
# retry works; one left by an earlier interrupted build is dropped first
fresh('cic');
rev('a1', '', 'tasks', "CREATE TABLE tasks (id int, title text);\nINSERT INTO tasks VALUES (1, 'x'), (2, 'x');",
	'DROP TABLE tasks;');
rev('b2', 'a1', 'unique title', 'CREATE UNIQUE INDEX CONCURRENTLY tasks_title_key ON tasks (title);',
	'DROP INDEX CONCURRENTLY tasks_title_key;', nontx => 1);
cli([ 'upgrade', 'head' ], 1, "Running upgrade  -> a1, tasks\nRunning upgrade a1 -> b2, unique title\n",
	qr/error: upgrade failed in revision b2 \(\S+b2_x\.sql:6\): could not create unique index "tasks_title_key" \(SQLSTATE 23505\)\n(.*\n)*.*warning: dropped the INVALID index tasks_title_key left by a failed concurrent build/,
	'failed concurrent build: exit 1, its INVALID index dropped');
cli(['current'], 0, "a1\n", qr/^$/, 'the concurrent revision is not recorded');
is(sql("SELECT count(*) FROM pg_class WHERE relname = 'tasks_title_key'"), '0', 'no INVALID index left');
sql('DELETE FROM tasks WHERE id = 2');
cli([ 'upgrade', 'head' ], 0, "Running upgrade a1 -> b2, unique title\n", qr/^$/, 'the retry succeeds');
is(sql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'tasks_title_key'::regclass"), 't', 'index valid');
cli([ 'downgrade', '-1' ], 0, "Running downgrade b2 -> a1, unique title\n", qr/^$/, 'downgrade the index');
sql("INSERT INTO tasks VALUES (2, 'x')");
my ($rc) = $node->psql('cic', 'CREATE UNIQUE INDEX CONCURRENTLY tasks_title_key ON tasks (title)');
isnt($rc, 0, 'an interrupted build outside the client');
is(sql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'tasks_title_key'::regclass"), 'f',
	'it left an INVALID index of the same name');
sql('DELETE FROM tasks WHERE id = 2');
cli([ 'upgrade', 'head' ], 0, "Running upgrade a1 -> b2, unique title\n",
	qr/warning: dropped the INVALID index tasks_title_key left by a failed concurrent build/,
	'the leftover INVALID index is dropped before the build');
is(sql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'tasks_title_key'::regclass"), 't', 'index rebuilt valid');

$node->stop;
done_testing();
