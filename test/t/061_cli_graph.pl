# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client against a database: connection and version checks,
# sync (added / unchanged / reformatted / changed-unapplied / changed-applied
# conflict / removed, --prune), and the graph commands current, heads,
# history, show, branches and stamp with Alembic's output layout.
use strict;
use warnings;
use File::Path qw(make_path);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

# the installed client (SchemamigTest.pm)
my @client = client_command();

my $node = PostgreSQL::Test::Cluster->new('cli_graph');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_schemamig');
$node->safe_psql('postgres', 'CREATE DATABASE plain');

my $tmp = PostgreSQL::Test::Utils::tempdir;
my $dir = "$tmp/migrations";
make_path($dir);
delete $ENV{DATABASE_URL};

sub rev
{
	my ($id, $down, $msg, $up, $downsql, %opt) = @_;
	my $labels = $opt{labels} // '';
	my $text = "-- revision: $id\n-- down_revision: $down\n";
	$text .= "-- branch_labels: $labels\n" if $labels ne '';
	$text .= "-- message: $msg\n-- +upgrade\n$up\n-- +downgrade\n$downsql\n";
	write_file("$dir/${id}_x.sql", $text);
}

# runs the client; checks exit status, stdout (exact) and stderr (regex)
sub cli
{
	my ($args, $ret, $out, $err, $name) = @_;
	my ($stdout, $stderr);
	local %ENV = %ENV;
	$ENV{PGHOST} = $node->host;
	$ENV{PGPORT} = $node->port;
	$ENV{PGDATABASE} = 'postgres';
	IPC::Run::run([ @client, '-D', $dir, @$args ], '>', \$stdout, '2>', \$stderr);
	is($? >> 8, $ret, "$name: exit status");
	if (ref $out) { like($stdout, $out, "$name: stdout"); }
	else { is($stdout, $out, "$name: stdout"); }
	like($stderr, $err, "$name: stderr");
	return $stdout;
}

sub sql { return $node->safe_psql('postgres', $_[0]); }

# ---- connection and versions
cli([ '-d', "host=$tmp/nosocket", 'heads' ], 1, '', qr/could not connect to the database/, 'no server');
cli([ '-d', 'dbname=plain', 'heads' ], 1, '',
	qr/extension "pg_schemamig" is not installed in database "plain"\n.*hint: Run CREATE EXTENSION/s,
	'extension missing');
{
	local $ENV{DATABASE_URL} = 'dbname=plain';
	my ($o, $e);
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	IPC::Run::run([ @client, '-D', $dir, 'heads' ], '>', \$o, '2>', \$e);
	like($e, qr/not installed in database "plain"/, 'DATABASE_URL is used when -d is absent');
}

{
	# a postgresql:// URL in DATABASE_URL; -d wins over it
	my $host = $node->host;
	my $port = $node->port;
	local $ENV{DATABASE_URL} = "postgresql:///plain?host=$host&port=$port";
	my ($o, $e);
	IPC::Run::run([ @client, '-D', $dir, 'heads' ], '>', \$o, '2>', \$e);
	like($e, qr/not installed in database "plain"/, 'DATABASE_URL as a URL');
	IPC::Run::run([ @client, '-d', "postgresql:///postgres?host=$host&port=$port", '-D', $dir, 'heads' ],
		'>', \$o, '2>', \$e);
	is($? >> 8, 0, '-d takes precedence over DATABASE_URL');
}

# ---- sync
rev('a1', '', 'create tasks', 'CREATE TABLE tasks (id int PRIMARY KEY);', 'DROP TABLE tasks;');
rev('b2', 'a1', 'add title', 'ALTER TABLE tasks ADD COLUMN title text;', 'ALTER TABLE tasks DROP COLUMN title;');
rev('c3', 'b2', 'add done', 'ALTER TABLE tasks ADD COLUMN done bool;', 'ALTER TABLE tasks DROP COLUMN done;');
cli(['sync'], 0,
	"Registered a1 ($dir/a1_x.sql)\nRegistered b2 ($dir/b2_x.sql)\nRegistered c3 ($dir/c3_x.sql)\n"
	  . "sync: 3 added, 0 updated, 0 unchanged\n", qr/^$/, 'sync registers new files');
is(sql("SELECT string_agg(id || ':' || array_to_string(down_revisions, ','), ' ' ORDER BY seq) FROM schemamig.revision"),
	'a1: b2:a1 c3:b2', 'registered in order, with their parents');
cli(['sync'], 0, "sync: 0 added, 0 updated, 3 unchanged\n", qr/^$/, 'sync again: unchanged');

# formatting and comments are not a change (checksum over the token stream)
rev('b2', 'a1', 'add title', "-- reformatted\nALTER TABLE   tasks\n    ADD COLUMN title text ;",
	'ALTER TABLE tasks DROP COLUMN title;');
cli(['sync'], 0, "sync: 0 added, 0 updated, 3 unchanged\n", qr/^$/, 'reformatted file is unchanged');

# ---- graph commands before anything is applied
cli(['current'], 0, '', qr/^$/, 'current: nothing applied');
cli(['heads'], 0, "c3 (head)\n", qr/^$/, 'heads');
cli(['history'], 0, "b2 -> c3 (head), add done\na1 -> b2, add title\n<base> -> a1, create tasks\n",
	qr/^$/, 'history');
cli([ 'history', '-r', 'a1:b2' ], 0, "a1 -> b2, add title\n<base> -> a1, create tasks\n", qr/^$/,
	'history -r');
cli([ 'show', 'b2' ], 0, "Rev: b2\nParent: a1\nPath: $dir/b2_x.sql\n\n    add title\n\n", qr/^$/, 'show');
cli([ 'show', 'nope' ], 1, '', qr/error: resolving the revision: .*nope.*\(SQLSTATE \w{5}\)/, 'show unknown');

# ---- stamp
cli([ 'stamp', 'b2' ], 0, "Running stamp_revision  -> b2\n", qr/^$/, 'stamp');
cli(['current'], 0, "b2\n", qr/^$/, 'current after stamp');
cli([ '-q', 'current' ], 0, "b2\n", qr/^$/, '--quiet still prints the answer');
cli([ 'current', '-v' ], 0, qr/^Current revision\(s\) for database "postgres":\nRev: b2\nParent: a1\n/,
	qr/^(pg_schemamig: info: .*\n)*$/, 'current -v');
cli([ 'history', '-i' ], 0, qr/^a1 -> b2 \(current\), add title$/m, qr/^$/, 'history -i marks current');

# ---- changed files
# c3 is not applied: a changed c3 is registered again
rev('c3', 'b2', 'add done flag', 'ALTER TABLE tasks ADD COLUMN done boolean NOT NULL DEFAULT false;',
	'ALTER TABLE tasks DROP COLUMN done;');
cli(['sync'], 0, "Updated c3 ($dir/c3_x.sql)\nsync: 0 added, 1 updated, 2 unchanged\n", qr/^$/,
	'changed unapplied revision is updated');
like(sql("SELECT upgrade_sql || message FROM schemamig.revision WHERE id = 'c3'"), qr/NOT NULL DEFAULT false;add done flag/,
	'new SQL and message stored');

# b2 is applied (stamped): a changed b2 is refused with both checksums, and
# nothing else of that sync is registered
my $b2sum = sql("SELECT checksum FROM schemamig.revision WHERE id = 'b2'");
rev('b2', 'a1', 'add title', 'ALTER TABLE tasks ADD COLUMN title varchar(200);', 'ALTER TABLE tasks DROP COLUMN title;');
rev('d4', 'c3', 'add owner', 'ALTER TABLE tasks ADD COLUMN owner text;', 'ALTER TABLE tasks DROP COLUMN owner;');
cli(['sync'], 1, '',
	qr/error: \S+b2_x\.sql: revision b2 was changed after it was applied\n.*detail: Checksum in the database: \Q$b2sum\E; checksum of the file: \S+\.\n.*hint: .*\n.*error: sync refused: 1 applied revision changed; nothing was registered/,
	'changed applied revision: conflict');
cli(['upgrade'], 1, '', qr/revision b2 was changed after it was applied/, 'other commands sync first and refuse too');
cli(['heads'], 0, "c3 (head)\n",
	qr/revision b2 was changed after it was applied.*warning: the files could not be synced \(above\); answering from the revisions registered in the database/s,
	'a reading command still answers, from what is registered');
cli([ '--no-sync', 'heads' ], 0, "c3 (head)\n", qr/^$/, '--no-sync skips the files');
is(sql("SELECT count(*) FROM schemamig.revision WHERE id = 'd4'"), '0', 'nothing registered by the refused sync');
rev('b2', 'a1', 'add title', 'ALTER TABLE tasks ADD COLUMN title text;', 'ALTER TABLE tasks DROP COLUMN title;');
cli(['heads'], 0, "d4 (head)\n", qr/^$/, 'restored file: sync registers d4 and heads shows it');

# ---- removed files
unlink "$dir/d4_x.sql" or die;
cli(['heads'], 0, "d4 (head) (no file)\n",
	qr/warning: revision d4 is registered but has no file in \S+; it is never applied\n.*hint: "pg_schemamig sync --prune" removes it/,
	'removed unapplied revision is reported');
cli([ 'sync', '--prune' ], 0, "Removed d4 (no file, not applied)\nsync: 0 added, 0 updated, 3 unchanged, 1 removed\n",
	qr/^$/, 'sync --prune removes it');
unlink "$dir/a1_x.sql" or die;
cli(['upgrade'], 1, '', qr/b2_x\.sql:2: unknown down_revision "a1"/, 'a removed parent is a parse error');
rev('a1', '', 'create tasks', 'CREATE TABLE tasks (id int PRIMARY KEY);', 'DROP TABLE tasks;');

# ---- branches, labels, merge points
rev('e5', 'a1', 'side branch', 'CREATE TABLE side (id int);', 'DROP TABLE side;', labels => 'side');
cli(['heads'], 0, "c3 (head)\ne5 (side) (head)\n", qr/^$/, 'heads of two branches, with label');
cli(['branches'], 0, "a1 (branchpoint)\n   -> b2\n   -> e5 (side) (head)\n\n", qr/^$/, 'branches');
my $hist = cli(['history'], 0, qr/^a1 -> e5 \(side\) \(head\), side branch$/m, qr/^$/,
	'history shows the label and head of the side branch');
like($hist, qr/\n<base> -> a1 \(branchpoint\), create tasks\n\z/, 'history marks the branch point');
rev('f6', 'c3, e5', 'merge', '', '');
cli(['heads'], 0, "f6 (head)\n", qr/^$/, 'merge file: one head');
cli([ 'show', 'f6' ], 0, "Rev: f6 (head) (mergepoint)\nMerges: c3, e5\nPath: $dir/f6_x.sql\n\n    merge\n\n", qr/^$/,
	'show a merge point');
# dependencies: "Also depends on", and a head that only a dependency points
# at is an effective head (Alembic's heads without --resolve-dependencies)
rev('j9', '', 'other base', 'CREATE TABLE other (id int);', 'DROP TABLE other;');
write_file("$dir/k10_x.sql", "-- revision: k10\n-- down_revision:\n-- depends_on: j9\n-- message: uses other\n"
	  . "-- +upgrade\nCREATE VIEW v AS SELECT * FROM other;\n-- +downgrade\nDROP VIEW v;\n");
cli(['heads'], 0, "f6 (head)\nj9 (effective head)\nk10 (head)\n", qr/^$/, 'heads with an effective head');
cli([ 'show', 'k10' ], 0, "Rev: k10 (head)\nParent: <base>\nAlso depends on: j9\nPath: $dir/k10_x.sql\n\n    uses other\n\n",
	qr/^$/, 'show a dependency');
cli(['history'], 0, qr/^<base> \(j9\) -> k10 \(head\), uses other$/m, qr/^$/, 'history shows the dependency');
cli([ 'heads', '-v' ], 0, qr/^Rev: f6 \(head\) \(mergepoint\)\nMerges: c3, e5\n/,
	qr/^(pg_schemamig: info: .*\n)*$/, 'heads -v: log entries');
unlink "$dir/j9_x.sql", "$dir/k10_x.sql";
cli([ 'sync', '--prune' ], 0, qr/Removed k10 .*\n.*Removed j9 /, qr/^$/, 'prune removes children first');

cli([ 'stamp', '--purge', 'c3', 'e5' ], 0, "Running stamp_revision b2 -> c3, e5\n", qr/^$/, 'stamp several with --purge');
cli(['current'], 0, "c3\ne5\n", qr/^$/, 'current shows both');
cli([ 'stamp', 'base', '--purge' ], 0, "Running stamp_revision c3, e5 -> \n", qr/^$/, 'stamp base');
is(sql('SELECT count(*) FROM schemamig.version'), '0', 'version table empty');

$node->stop;
done_testing();
