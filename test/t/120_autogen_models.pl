# Copyright (c) pg_schemamig contributors
#
# revision --autogenerate and check --model/--schema on a SQLModel app
# through five model versions (test/models_app/vN: priority and due_date
# added to tasks, a comments table with foreign keys to users and tasks, a
# unique email, a composite index, an enum column, an enum value added, a
# CHECK).  At each version, with rows in the tables and no hand edits: the
# generated revision applies, check --model is then clean, a second
# autogenerate finds nothing, downgrade -1 gives back exactly the schema
# before (fingerprint), and upgrading again exactly the one after.
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my @client = client_command();
my $apps = dirname(abs_path(__FILE__)) . '/../models_app';
# the user's Python: Debian's python3 has SQLModel (scripts/install_deps.sh)
my $python = $ENV{PYTHON} // (-x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3');

my $node = PostgreSQL::Test::Cluster->new('autogen_models');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE app');
$node->safe_psql('app', 'CREATE EXTENSION pg_schemamig');
# the comparison is the server's diff() (src/diff); a build without it has
# nothing to test here
plan skip_all => 'this build of pg_schemamig has no schemamig.diff()'
  unless $node->safe_psql('app',
	"SELECT EXISTS (SELECT FROM pg_proc WHERE proname = 'diff' AND pronamespace = 'schemamig'::regnamespace)") eq 't';

my $tmp = PostgreSQL::Test::Utils::tempdir;
my $dir = "$tmp/migrations";
mkdir $dir or die "mkdir $dir: $!";
delete $ENV{DATABASE_URL};

sub cli
{
	my ($version, $args, $ret, $out, $err, $name) = @_;
	my ($stdout, $stderr);
	local %ENV = %ENV;
	$ENV{PGHOST} = $node->host;
	$ENV{PGPORT} = $node->port;
	$ENV{PGDATABASE} = 'app';
	$ENV{PYTHON} = $python;
	$ENV{PYTHONPATH} = "$apps/v$version";
	IPC::Run::run([ @client, '-D', $dir, @$args ], '>', \$stdout, '2>', \$stderr);
	is($? >> 8, $ret, "$name: exit status");
	if (ref $out) { like($stdout, $out, "$name: stdout"); }
	else { is($stdout, $out, "$name: stdout"); }
	like($stderr, $err, "$name: stderr");
	return $stdout;
}

sub sql { return $node->safe_psql('app', $_[0]); }
sub fingerprint { return sql("SELECT schemamig.fingerprint(ARRAY['public'])"); }

sub newest_file
{
	opendir(my $dh, $dir) or die;
	my @f = sort { -M "$dir/$a" <=> -M "$dir/$b" } grep { /\.sql$/ } readdir($dh);
	closedir $dh;
	return "$dir/$f[0]";
}

# rows added after each version's round trip: every later revision is
# applied, reverted and applied again over them
my %rows = (
	1 => "INSERT INTO users (name, email) VALUES ('ada', 'ada\@example.com'), ('bob', 'bob\@example.com');
		  INSERT INTO tasks (title, owner_id) VALUES ('write docs', 1), ('ship', 2), ('test', 1);",
	2 => "INSERT INTO tasks (title, owner_id, priority, due_date) VALUES ('plan', 2, 'high', '2024-02-01');",
	3 => "INSERT INTO comments (body, user_id, task_id) VALUES ('looks good', 2, 1), ('done?', 1, 4);",
	4 => "INSERT INTO tasks (title, owner_id, status) VALUES ('close', 1, 'done');",
	5 => "INSERT INTO tasks (title, owner_id, status) VALUES ('review', 2, 'doing');",);

my %expect = (
	1 => [ qr/CREATE TABLE public\.users/, qr/CREATE TABLE public\.tasks/, qr/FOREIGN KEY \(owner_id\) REFERENCES public\.users/ ],
	2 => [ qr/ADD COLUMN priority character varying\(10\) DEFAULT 'medium'::character varying NOT NULL/, qr/ADD COLUMN due_date date/ ],
	3 => [ qr/CREATE TABLE public\.comments/, qr/REFERENCES public\.tasks\(id\) ON DELETE CASCADE/, qr/UNIQUE \(email\)/ ],
	4 => [ qr/CREATE TYPE public\.task_status AS ENUM \('todo', 'done'\)/, qr/CREATE INDEX ix_tasks_owner_priority/,
		   qr/-- hazards: [A-Z_, ]*INDEX_BUILD/ ],
	# the new value in its place: ADD VALUE ... BEFORE, or the type rebuilt
	5 => [ qr/ADD VALUE 'doing' BEFORE 'done'|CREATE TYPE public\.task_status AS ENUM \('todo', 'doing', 'done'\)/,
		   qr/ck_tasks_title/ ],);

my $before = fingerprint();
for my $v (1 .. 5)
{
	cli($v, [ 'check', '--model', 'app.models' ], 1, qr/^difference 1: /m,
		qr/error: the database differs from the models of app\.models: \d+ difference/,
		"v$v: check --model before the revision");
	cli($v, [ 'revision', '--autogenerate', '-m', "models v$v", '--model', 'app.models' ], 0,
		qr/Generating \S+_models_v$v\.sql \.\.\.  done/, qr/^$/, "v$v: revision --autogenerate");
	my $file = slurp(newest_file());
	like($file, qr/-- message: models v$v\n/, "v$v: the file has the message");
	like($file, qr/-- \+upgrade\n.+-- \+downgrade\n.+/s, "v$v: the file has both sections");
	like($file, $_, "v$v: upgrade has $_") foreach @{ $expect{$v} };

	cli($v, [ 'upgrade', 'head' ], 0, qr/^Running upgrade .*models v$v$/m, qr/^$/, "v$v: upgrade head");
	my $after = fingerprint();
	isnt($after, $before, "v$v: the schema changed");
	cli($v, [ 'check', '--model', 'app.models' ], 0, "No changes in schema detected.\n", qr/^$/,
		"v$v: check --model is clean after the upgrade");
	cli($v, [ 'revision', '--autogenerate', '-m', 'again', '--model', 'app.models' ], 0,
		"No changes in schema detected.\n", qr/^$/, "v$v: a second autogenerate finds nothing");

	my $count = sql('SELECT count(*) FROM tasks');
	cli($v, [ 'downgrade', '-1' ], 0, qr/^Running downgrade .*models v$v$/m, qr/^$/, "v$v: downgrade -1");
	is(fingerprint(), $before, "v$v: the downgrade restores the schema exactly");
	cli($v, [ 'upgrade', 'head' ], 0, qr/^Running upgrade /m, qr/^$/, "v$v: upgrade again");
	is(fingerprint(), $after, "v$v: the second upgrade gives the same schema");
	is(sql('SELECT count(*) FROM tasks'), $count, "v$v: the rows are still there") if $v > 1;
	# rows for the next version's round trip (v1's tables are new in v1)
	sql($rows{$v});
	$before = $after;
}
is(sql("SELECT string_agg(status::text, ',' ORDER BY id) FROM tasks WHERE status <> 'todo'"), 'done,doing',
	'enum values kept through the rebuilds');

# --schema: a desired-schema SQL file
my $schema = "$tmp/schema.sql";
# the models' DDL as the user would keep it under version control
{
	my ($out, $err);
	local $ENV{PYTHONPATH} = "$apps/v5";
	my $bindir = `pg_config --bindir`;
	chomp $bindir;
	IPC::Run::run([ $python, "$bindir/sm_models.py", 'app.models' ], '>', \$out, '2>', \$err);
	is($?, 0, 'sm_models.py runs next to the client');
	write_file($schema, $out);
}
cli(5, [ 'check', '--schema', $schema ], 0, "No changes in schema detected.\n", qr/^$/,
	'check --schema: the schema file matches');
write_file($schema, slurp($schema) . "CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL UNIQUE);\n");
cli(5, [ 'check', '--schema', $schema ], 1, qr/^difference \d+: CREATE TABLE public\.tags/m,
	qr/error: the database differs from the schema in \S+schema\.sql: \d+ differences?/,
	'check --schema: a table missing from the database');
cli(5, [ 'revision', '--autogenerate', '-m', 'tags', '--schema', $schema ], 0, qr/Generating \S+_tags\.sql/,
	qr/^$/, 'revision --autogenerate --schema');
cli(5, [ 'upgrade', 'head' ], 0, qr/Running upgrade .*tags$/m, qr/^$/, 'upgrade to the schema file');
cli(5, [ 'check', '--schema', $schema ], 0, "No changes in schema detected.\n", qr/^$/,
	'check --schema clean after the upgrade');
cli(5, [ 'check', '--model', 'app.models' ], 1, qr/^difference \d+: DROP TABLE public\.tags/m,
	qr/\d+ differences?/, 'check --model names the table the models lack');

# usage errors (exit 2) and failures (exit 1)
cli(5, [ 'check', '--model', 'app.models', '--schema', $schema ], 2, '',
	qr/--model and --schema cannot be used together/, 'check with both');
cli(5, [ 'check', '--model', 'app..models' ], 2, '', qr/invalid module name/, 'check with a bad module name');
cli(5, [ 'revision', '--autogenerate', '-m', 'x' ], 2, '', qr/needs the desired schema/,
	'autogenerate without a desired schema');
cli(5, [ 'revision', '-m', 'x', '--model', 'app.models' ], 2, '', qr/--model and --schema need --autogenerate/,
	'--model without --autogenerate');
cli(5, [ 'check', '--model', 'app.nope' ], 1, '', qr/could not import app\.nope/, 'check with a missing module');
cli(5, [ 'check', '--schema', "$tmp/none.sql" ], 1, '', qr/could not open \S+none\.sql/, 'check with a missing file');
write_file("$tmp/bad.sql", "CREATE TABLE broken (id int, id int);\n");
cli(5, [ 'check', '--schema', "$tmp/bad.sql" ], 1, '', qr/column "id" specified more than once/,
	'invalid desired DDL fails with the server error');

# autogenerate refuses a database behind the files
cli(5, [ 'downgrade', '-1' ], 0, qr/Running downgrade/, qr/^$/, 'downgrade one');
cli(5, [ 'revision', '--autogenerate', '-m', 'behind', '--schema', $schema ], 1, '',
	qr/target database is not up to date/, 'autogenerate on a database behind the heads');

$node->stop;
done_testing();
