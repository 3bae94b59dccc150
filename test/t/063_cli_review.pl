# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, the review commands: check, lint, verify and drift.
# Each needs its part of the extension; where the server has it, its output
# and exit status are checked, and where it has not, the clear error.
use strict;
use warnings;
use File::Path qw(make_path);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

# the installed client (SchemamigTest.pm)
my @client = client_command();

my $node = PostgreSQL::Test::Cluster->new('cli_review');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_schemamig');

my $tmp = PostgreSQL::Test::Utils::tempdir;
my $dir = "$tmp/migrations";
make_path($dir);
delete $ENV{DATABASE_URL};

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

sub has_function
{
	return sql("SELECT count(*) FROM pg_proc WHERE pronamespace = 'schemamig'::regnamespace AND proname = '$_[0]'") ne '0';
}

write_file("$dir/a1_tasks.sql",
	"-- revision: a1\n-- down_revision:\n-- message: tasks\n-- +upgrade\n"
	  . "CREATE TABLE tasks (id int PRIMARY KEY, title text);\n-- +downgrade\nDROP TABLE tasks;\n");
write_file("$dir/b2_drop.sql",
	"-- revision: b2\n-- down_revision: a1\n-- message: drop title\n-- +upgrade\n\n"
	  . "ALTER TABLE tasks\n  DROP COLUMN title;\n-- +downgrade\nALTER TABLE tasks ADD COLUMN title text;\n");
cli([ 'upgrade', 'a1' ], 0, "Running upgrade  -> a1, tasks\n", qr/^$/, 'upgrade a1');

# ---- lint
if (has_function('lint'))
{
	# every finding is file:line: severity: rule: message, the line in the file
	cli([ 'lint', "$dir/b2_drop.sql" ], 0, qr/^\Q$dir\E\/b2_drop\.sql:6: warning: ban-drop-column: .*\n/m,
		qr/^$/, 'lint a migration file: the line of the statement in the file');
	write_file("$tmp/plain.sql", "SELECT 1;\n\nDROP TABLE tasks;\n");
	cli([ 'lint', "$tmp/plain.sql" ], 0, qr/^\Q$tmp\E\/plain\.sql:3: warning: ban-drop-table: /m, qr/^$/,
		'lint a plain SQL file');
	write_file("$tmp/broken.sql", "-- revision: zz\n-- +upgrade\nSELECT 1;\n");
	cli([ 'lint', "$tmp/broken.sql" ], 1, '', qr/broken\.sql:1: missing header "-- down_revision:"/,
		'lint refuses a broken migration file');
	cli([ 'lint', "$tmp/none.sql" ], 1, '', qr/none\.sql: could not open file/, 'lint a missing file');
}
else
{
	cli([ 'lint', "$dir/b2_drop.sql" ], 1, '', qr/error: this database's pg_schemamig has no schemamig\.lint\(\)/,
		'lint without the server function');
}

# ---- check
if (has_function('check'))
{
	sql('SELECT schemamig.snapshot()') if has_function('snapshot');
	sql('SELECT schemamig.acknowledge_drift()') if has_function('acknowledge_drift');
	cli(['check'], 0, "No problems detected.\n", qr/^$/, 'check on a clean database');
	sql('CREATE TABLE rogue (a int)');
	# the drift is a warning; the schema no longer matching its snapshot an error
	my $out = cli(['check'], 1, qr/^warning: drift: .*rogue/m, qr/^$/, 'check reports out-of-band DDL, exit 1');
	like($out, qr/^error: /m, 'check: the changed schema is an error finding');
}
else
{
	cli(['check'], 1, '', qr/has no schemamig\.check\(\)/, 'check without the server function');
	sql('CREATE TABLE rogue (a int)');
}

# ---- drift
if (sql("SELECT to_regclass('schemamig.drift') IS NOT NULL") eq 't')
{
	cli(['drift'], 1, qr/^command_tag: CREATE TABLE\n(.*\n)*object_identity: public\.rogue\n/m,
		qr/error: 1 unacknowledged drift event/, 'drift lists out-of-band DDL, exit 1');
	sql('SELECT schemamig.acknowledge_drift()');
	cli(['drift'], 0, "No drift detected.\n", qr/^$/, 'acknowledged drift is not listed');
	cli([ 'drift', '--all' ], 0, qr/object_identity: public\.rogue\n(.*\n)*acknowledged: t\n/, qr/^$/,
		'drift --all lists acknowledged events too');
}
else
{
	cli(['drift'], 1, '', qr/has no schemamig\.drift table/, 'drift without the server table');
}

# ---- verify
if (has_function('verify'))
{
	cli([ 'verify', 'b2' ], 0, qr/^b2 \S+: ok/m, qr/^$/, 'verify a reversible revision');
}
else
{
	cli(['verify'], 1, '', qr/has no schemamig\.verify\(\)/, 'verify without the server function');
}

$node->stop;
done_testing();
