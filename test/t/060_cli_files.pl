# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, without a database: usage errors (exit 2), init,
# revision and merge, and every migration-file parse error (exit 1, reported
# as file:line).
use strict;
use warnings;
use File::Path qw(make_path remove_tree);
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

# the installed client (SchemamigTest.pm)
my @client = client_command();
my $client = $client[-1];

my $tmp = PostgreSQL::Test::Utils::tempdir;
chdir $tmp or die "chdir $tmp: $!";
# no server is running here: a command that got past the files must not
# find one by accident
$ENV{PGHOST} = "$tmp/nonexistent";
delete $ENV{DATABASE_URL};

# ---- usage (exit 2)
program_help_ok($client);
program_version_ok($client);
command_like([ @client, '--version' ], qr/^pg_schemamig \(pg_schemamig\) \d+\.\d+/, 'version string');
command_checks_all([@client], 2, [qr/^$/], [qr/error: no command given/], 'no command');
command_checks_all([ @client, 'frobnicate' ], 2, [qr/^$/],
	[qr/error: unknown command "frobnicate"/], 'unknown command');
command_checks_all([ @client, '--frob', 'heads' ], 2, [qr/^$/],
	[qr/unrecognized option "--frob"/], 'unknown long option');
command_checks_all([ @client, '-Z', 'heads' ], 2, [qr/^$/],
	[qr/invalid option "-Z"/], 'unknown short option');
command_checks_all([ @client, 'downgrade' ], 2, [qr/^$/],
	[qr/wrong number of arguments for "downgrade"/], 'downgrade needs a target');
command_checks_all([ @client, 'show' ], 2, [qr/^$/],
	[qr/wrong number of arguments for "show"/], 'show needs a revision');
command_checks_all([ @client, 'current', 'extra' ], 2, [qr/^$/],
	[qr/wrong number of arguments for "current"/], 'current takes no argument');
command_checks_all([ @client, 'heads', '-m' ], 2, [qr/^$/],
	[qr/option "-m" requires a value/], 'option without its value');
command_checks_all([ @client, '--rev-id', 'bad-id', 'revision' ], 2, [qr/^$/],
	[qr/invalid revision id "bad-id"/], 'bad --rev-id');
command_checks_all([ @client, '-v', '-q', 'heads' ], 2, [qr/^$/],
	[qr/--verbose and --quiet cannot be used together/], 'verbose and quiet');
command_checks_all([ @client, '--no-sync', 'sync' ], 2, [qr/^$/],
	[qr/"sync" and --no-sync/], 'sync with --no-sync');

# ---- init, revision, merge
command_like([ @client, 'init' ], qr{Creating directory \S+/migrations \.\.\.  done\n  Generating \S+/pg_schemamig\.conf \.\.\.  done},
	'init');
ok(-d 'migrations', 'init created the folder');
like(slurp('pg_schemamig.conf'), qr/^directory = migrations$/m, 'init wrote the configuration');
command_checks_all([ @client, 'init' ], 1, [qr/^$/], [qr/pg_schemamig\.conf already exists/], 'init twice');

command_like([ @client, 'revision', '-m', 'Create tasks table', '--rev-id', 'aaa111' ],
	qr{Generating \S+/migrations/aaa111_create_tasks_table\.sql \.\.\.  done}, 'first revision');
is( slurp('migrations/aaa111_create_tasks_table.sql'),
	"-- revision: aaa111\n-- down_revision:\n-- branch_labels:\n-- depends_on:\n"
	  . "-- transactional: true\n-- message: Create tasks table\n-- +upgrade\n\n-- +downgrade\n\n",
	'the template of a base revision');
command_like([ @client, 'revision', '-m', 'add priority', '--rev-id', 'bbb222' ],
	qr{bbb222_add_priority\.sql}, 'second revision');
like(slurp('migrations/bbb222_add_priority.sql'), qr/^-- down_revision: aaa111$/m, 'parent is the head');
command_like([ @client, 'revision', '-m', 'concurrent index', '--rev-id', 'ccc333', '--non-transactional' ],
	qr{ccc333_concurrent_index\.sql}, 'non-transactional revision');
like(slurp('migrations/ccc333_concurrent_index.sql'), qr/^-- transactional: false$/m, 'transactional: false');
command_checks_all([ @client, 'revision', '-m', 'again', '--rev-id', 'bbb222' ], 1, [qr/^$/],
	[qr/revision bbb222 already exists/], 'duplicate --rev-id');

# a second branch, then two heads
command_like([ @client, 'revision', '-m', 'audit base', '--head', 'base', '--branch-label', 'audit', '--rev-id', 'ddd444' ],
	qr{ddd444_audit_base\.sql}, 'new base with a branch label');
like(slurp('migrations/ddd444_audit_base.sql'), qr/^-- down_revision:\n-- branch_labels: audit$/m, 'label written');
command_checks_all([ @client, 'revision', '-m', 'x' ], 1, [qr/^$/],
	[qr/multiple heads are present/], 'revision with two heads needs --head');
command_like([ @client, 'revision', '-m', 'audit log', '--head', 'audit@head', '--rev-id', 'eee555', '--depends-on', 'aaa' ],
	qr{eee555_audit_log\.sql}, '--head label@head');
my $eee = slurp('migrations/eee555_audit_log.sql');
like($eee, qr/^-- down_revision: ddd444$/m, 'label@head resolved');
like($eee, qr/^-- depends_on: aaa111$/m, 'depends_on prefix resolved to the full id');
command_checks_all([ @client, 'revision', '-m', 'x', '--head', 'aaa111' ], 1, [qr/^$/],
	[qr/revision aaa111 is not a head revision; use --splice/], 'non-head --head');
command_checks_all([ @client, 'revision', '-m', 'x', '--head', 'zzz' ], 1, [qr/^$/],
	[qr/no such revision or branch label/], 'unknown --head');

command_like([ @client, 'merge', '-m', 'join branches', '--rev-id', 'fff666' ],
	qr{fff666_join_branches\.sql}, 'merge of all heads');
like(slurp('migrations/fff666_join_branches.sql'), qr/^-- down_revision: ccc333, eee555$/m, 'merge parents');
command_checks_all([ @client, 'merge' ], 1, [qr/^$/], [qr/a merge needs at least two revisions/],
	'merge with one head');

# init DIR elsewhere
make_path('app2/db');
chdir 'app2' or die;
command_like([ @client, 'init', 'db/versions' ], qr{Creating directory \S+/app2/db/versions \.\.\.  done}, 'init DIR');
like(slurp('pg_schemamig.conf'), qr/^directory = db\/versions$/m, 'init DIR: configuration names it');
command_like([ @client, 'revision', '-m', 'first', '--rev-id', 'z1' ], qr{app2/db/versions/z1_first\.sql},
	'the configuration file gives the folder');
chdir '..' or die;

# -D and the configuration file
make_path('other');
command_like([ @client, '-D', 'other', 'revision', '-m', 'elsewhere', '--rev-id', 'abc' ],
	qr{other/abc_elsewhere\.sql}, '-D names the folder');
write_file('bad.conf', "directory = migrations\ncolour = blue\n");
command_checks_all([ @client, '-c', 'bad.conf', 'heads' ], 2, [qr/^$/],
	[qr/bad\.conf:2: unknown setting "colour"/], 'unknown configuration setting');
command_checks_all([ @client, '-D', 'nowhere', 'heads' ], 1, [qr/^$/],
	[qr/could not open migrations folder "nowhere"/], 'missing folder');

# ---- parse errors: one file (or a few) per case, each must name file:line
my $good_up = "-- +upgrade\nCREATE TABLE t (a int);\n-- +downgrade\nDROP TABLE t;\n";
my @cases = (
	[ 'unknown header',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- colour: blue\n$good_up" },
	  qr{a1_x\.sql:3: unknown header "colour"} ],
	[ 'duplicate header',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- revision: a1\n$good_up" },
	  qr{a1_x\.sql:3: duplicate header "revision" \(first at line 1\)} ],
	[ 'missing revision header',
	  { 'a1_x.sql' => "-- down_revision:\n$good_up" },
	  qr{a1_x\.sql:1: missing header "-- revision:"} ],
	[ 'missing down_revision header',
	  { 'a1_x.sql' => "-- revision: a1\n$good_up" },
	  qr{a1_x\.sql:1: missing header "-- down_revision:"} ],
	[ 'missing upgrade section',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n\n" },
	  qr{a1_x\.sql:3: missing section "-- \+upgrade"} ],
	[ 'missing downgrade section',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- +upgrade\nSELECT 1;\n" },
	  qr{a1_x\.sql:4: missing section "-- \+downgrade"} ],
	[ 'downgrade before upgrade',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- +downgrade\nSELECT 1;\n-- +upgrade\n" },
	  qr{a1_x\.sql:3: "-- \+downgrade" before "-- \+upgrade"} ],
	[ 'duplicate upgrade section',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- +upgrade\nSELECT 1;\n-- +upgrade\n-- +downgrade\n" },
	  qr{a1_x\.sql:5: duplicate "-- \+upgrade" section \(first at line 3\)} ],
	[ 'duplicate downgrade section',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- +upgrade\n-- +downgrade\n-- +downgrade\n" },
	  qr{a1_x\.sql:5: duplicate "-- \+downgrade" section \(first at line 4\)} ],
	[ 'unknown section',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- +up\n$good_up" },
	  qr{a1_x\.sql:3: unknown section "-- \+up"} ],
	[ 'SQL before the upgrade section',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\nCREATE TABLE t (a int);\n$good_up" },
	  qr{a1_x\.sql:3: SQL before "-- \+upgrade"} ],
	[ 'bad revision id',
	  { 'a-1_x.sql' => "-- revision: a-1\n-- down_revision:\n$good_up" },
	  qr{a-1_x\.sql:1: invalid revision id "a-1"} ],
	[ 'bad parent id',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision: b c\n$good_up" },
	  qr{a1_x\.sql:2: invalid revision id "b c" in "down_revision"} ],
	[ 'empty list entry',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision: b,,c\n$good_up" },
	  qr{a1_x\.sql:2: empty entry in "down_revision"} ],
	[ 'repeated parent',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision: b, b\n$good_up" },
	  qr{a1_x\.sql:2: "down_revision" lists "b" twice} ],
	[ 'own parent',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision: a1\n$good_up" },
	  qr{a1_x\.sql:2: revision "a1" lists itself as its down_revision} ],
	[ 'bad boolean',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- transactional: maybe\n$good_up" },
	  qr{a1_x\.sql:3: "transactional" must be true or false, not "maybe"} ],
	[ 'irreversible with a downgrade',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- irreversible: true\n$good_up" },
	  qr{a1_x\.sql:6: revision "a1" is declared irreversible but has a downgrade} ],
	[ 'duplicate revision',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n$good_up",
		'a1_y.sql' => "\n-- revision: a1\n-- down_revision:\n$good_up" },
	  qr{a1_y\.sql:2: duplicate revision "a1" \(also in \S+a1_x\.sql\)} ],
	[ 'unknown parent',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n$good_up",
		'b1_x.sql' => "-- revision: b1\n-- down_revision: zz\n$good_up" },
	  qr{b1_x\.sql:2: unknown down_revision "zz"} ],
	[ 'unknown dependency',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- depends_on: nope\n$good_up" },
	  qr{a1_x\.sql:3: unknown depends_on "nope"} ],
	[ 'duplicate branch label',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n-- branch_labels: lab\n$good_up",
		'b1_x.sql' => "-- revision: b1\n-- down_revision:\n-- branch_labels: lab\n$good_up" },
	  qr{b1_x\.sql:3: branch label "lab" is also declared by \S+a1_x\.sql} ],
	[ 'cycle among files',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision: c1\n$good_up",
		'b1_x.sql' => "-- revision: b1\n-- down_revision: a1\n$good_up",
		'c1_x.sql' => "-- revision: c1\n-- down_revision: b1\n$good_up" },
	  qr{a1_x\.sql:2: cycle among revision files: a1 -> c1 -> b1 -> a1} ],
	[ 'NUL byte',
	  { 'a1_x.sql' => "-- revision: a1\n-- down_revision:\n$good_up\0" },
	  qr{a1_x\.sql: file contains a NUL byte} ],
);
my $n = 0;
foreach my $case (@cases)
{
	my ($name, $files, $re) = @$case;
	my $dir = "parse" . $n++;
	make_path($dir);
	write_file("$dir/$_", $files->{$_}) foreach keys %$files;
	# a command that changes something refuses before connecting (reading
	# commands still answer: test/t/067_cli_bad_file.pl)
	command_checks_all([ @client, '-D', $dir, 'upgrade' ], 1, [qr/^$/], [ qr/error: \S*$re/ ],
		"parse error: $name");
	# the file-only commands report the same
	command_checks_all([ @client, '-D', $dir, 'revision', '-m', 'x' ], 1, [qr/^$/], [$re],
		"parse error in revision: $name");
}

# connect_timeout holds for the connection opened while the files are read:
# a server that accepts the TCP connection but never answers
{
	require IO::Socket::INET;
	my $mute = IO::Socket::INET->new(Listen => 5, LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'tcp')
	  or die "listen: $!";
	my $port = $mute->sockport;
	command_checks_all(
		[ @client, '-D', 'okforms_none', '--no-sync', '-d', "host=127.0.0.1 port=$port connect_timeout=2", 'heads' ],
		1, [qr/^$/], [qr/could not connect to the database: timeout expired/], 'connect_timeout is honoured');
	close $mute;
}

# accepted forms: comments and blank lines in the header, CRLF, irreversible
make_path('okforms');
write_file('okforms/a1_base.sql',
	"-- Some notes about this revision (free comment: fine)\n\n-- revision: a1\r\n-- down_revision:\r\n"
	  . "-- message:   spaced out  \r\n-- +upgrade\r\nSELECT 1;\r\n-- +downgrade\r\n");
write_file('okforms/b1_irreversible.sql',
	"-- revision: b1\n-- down_revision: a1\n-- irreversible: true\n-- +upgrade\nSELECT 2;\n");
command_like([ @client, '-D', 'okforms', 'revision', '-m', 'next', '--rev-id', 'c1' ],
	qr{c1_next\.sql}, 'comments, CRLF and an irreversible revision parse');
like(slurp('okforms/c1_next.sql'), qr/^-- down_revision: b1$/m, 'head found past the irreversible revision');

done_testing();
