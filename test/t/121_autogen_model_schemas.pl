# Copyright (c) pg_schemamig contributors
#
# revision --autogenerate and check --model on SQLAlchemy models that use
# schemas besides public (test/models_schemas/vN: public.users; audit.events
# with a foreign key to them, an enum of the audit schema and an index; then
# a column and a CHECK (source IN (...)) on a varchar, and a table in a
# schema "Reports").  sm_models.py names the schemas on the DDL's first line
# and creates them; the client diffs all of them.  At each version, with
# rows in the tables: the revision applies, check --model is clean, a second
# autogenerate finds nothing, downgrade -1 gives back exactly the schemas
# before and upgrading again exactly the ones after.
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;
use CliTest;

my $apps = dirname(abs_path(__FILE__)) . '/../models_schemas';
# the user's Python: Debian's python3 has SQLAlchemy (scripts/install_deps.sh)
my $python = $ENV{PYTHON} // (-x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3');

cli_start('autogen_schemas');
fresh('app');
my $dir = dir();
my $tmp = PostgreSQL::Test::Utils::tempdir;

# mcli(version, [args], exit, stdout, stderr, name): the client with the
# models of that version on PYTHONPATH
sub mcli
{
	my ($version, @args) = @_;
	return cli(@args, env => { PYTHON => $python, PYTHONPATH => "$apps/v$version" });
}
sub fingerprint { return sql(q{SELECT schemamig.fingerprint(ARRAY['public', 'audit', 'Reports'])}); }

sub newest_file
{
	opendir(my $dh, $dir) or die;
	my @f = sort { -M "$dir/$a" <=> -M "$dir/$b" } grep { /\.sql$/ } readdir($dh);
	closedir $dh;
	return "$dir/$f[0]";
}

my %expect = (
	1 => [ qr/^CREATE SCHEMA audit;$/m, qr/CREATE TYPE audit\.event_kind AS ENUM \('login', 'logout'\)/,
		   qr/CREATE TABLE audit\.events/, qr/REFERENCES public\.users\(id\)/, qr/CREATE INDEX ix_events_user ON audit\.events/ ],
	2 => [ qr/^CREATE SCHEMA "Reports";$/m, qr/CREATE TABLE "Reports"\.daily/,
		   qr/ALTER TABLE audit\.events ADD COLUMN source character varying\(10\)/, qr/ck_events_source/ ],);
my %rows = (
	1 => "INSERT INTO users (name) VALUES ('ada'), ('bob');
		  INSERT INTO audit.events (user_id, kind) VALUES (1, 'login'), (2, 'login'), (1, 'logout');",
	2 => q{INSERT INTO audit.events (user_id, kind, source) VALUES (2, 'logout', 'api');
		  INSERT INTO "Reports".daily VALUES ('2024-01-01', 2);},);

my $before = fingerprint();
for my $v (1 .. 2)
{
	mcli($v, [ 'check', '--model', 'app.models' ], 1, qr/^difference 1: /m,
		qr/error: the database differs from the models of app\.models/, "v$v: check --model before the revision");
	mcli($v, [ 'revision', '--autogenerate', '-m', "schemas v$v", '--model', 'app.models' ], 0,
		qr/Generating \S+_schemas_v$v\.sql \.\.\.  done/, qr/^$/, "v$v: revision --autogenerate");
	my $file = slurp(newest_file());
	like($file, $_, "v$v: upgrade has $_") foreach @{ $expect{$v} };
	my ($upgrade) = $file =~ /-- \+upgrade\n(.*)-- \+downgrade/s;
	unlike($upgrade, qr/DROP /, "v$v: the upgrade drops nothing");

	mcli($v, [ 'upgrade', 'head' ], 0, qr/^Running upgrade .*schemas v$v$/m, qr/^$/, "v$v: upgrade head");
	my $after = fingerprint();
	isnt($after, $before, "v$v: the schemas changed");
	mcli($v, [ 'check', '--model', 'app.models' ], 0, "No changes in schema detected.\n", qr/^$/,
		"v$v: check --model is clean after the upgrade");
	mcli($v, [ 'revision', '--autogenerate', '-m', 'again', '--model', 'app.models' ], 0,
		"No changes in schema detected.\n", qr/^$/, "v$v: a second autogenerate finds nothing");
	# v2's rows are in what its downgrade drops (source, "Reports".daily)
	sql($rows{$v}) if $v == 2;
	mcli($v, [ 'downgrade', '-1' ], 0, qr/^Running downgrade .*schemas v$v$/m, qr/^$/, "v$v: downgrade -1");
	is(fingerprint(), $before, "v$v: the downgrade restores the schemas exactly");
	mcli($v, [ 'upgrade', 'head' ], 0, qr/^Running upgrade /m, qr/^$/, "v$v: upgrade again");
	is(fingerprint(), $after, "v$v: the second upgrade gives the same schemas");
	sql($rows{$v}) if $v == 1;
	$before = $after;
}
is(sql('SELECT count(*) FROM audit.events'), '4', 'the rows are kept through v2 and back');

# the DDL's first line names the schemas
my $ddl;
{
	my $err;
	local $ENV{PYTHONPATH} = "$apps/v2";
	my $bindir = `pg_config --bindir`;
	chomp $bindir;
	IPC::Run::run([ $python, "$bindir/sm_models.py", 'app.models' ], '>', \$ddl, '2>', \$err);
	like($ddl, qr/\A-- schemas: \{"public","Reports","audit"\}\n/, 'sm_models.py names the schemas first');
}

# a CHECK added to a big table (1 MB or more): NOT VALID in the revision,
# its VALIDATE in a second, non-transactional revision that commits alone
sql('INSERT INTO audit.events (user_id, kind) SELECT 1 + g % 2, \'login\' FROM generate_series(1, 40000) g');
ok(sql(q{SELECT pg_table_size('audit.events') >= 1024 * 1024}) eq 't', 'audit.events is big');
my $schema = "$tmp/schema.sql";
write_file($schema, $ddl . "ALTER TABLE audit.events ADD CONSTRAINT ck_events_user CHECK (user_id > 0);\n");
my $fp = fingerprint();
mcli(2, [ 'revision', '--autogenerate', '-m', 'user check', '--schema', $schema ], 0,
	qr/Generating \S+_user_check\.sql \.\.\.  done\n.*Generating \S+_user_check_validate\.sql \.\.\.  done/s, qr/^$/,
	'revision --autogenerate --schema over several schemas writes two files');
my $first = slurp((glob("$dir/*_user_check.sql"))[0]);
my $second = slurp((glob("$dir/*_user_check_validate.sql"))[0]);
my ($first_id) = $first =~ /^-- revision: (\w+)$/m;
like($first, qr/^ALTER TABLE audit\.events ADD CONSTRAINT ck_events_user CHECK \(\(user_id > 0\)\) NOT VALID;$/m,
	'the first file adds the constraint NOT VALID');
unlike($first, qr/VALIDATE/, 'and does not validate it');
like($second, qr/^-- down_revision: $first_id$/m, 'the second file is on the first');
like($second, qr/^-- transactional: false$/m, 'the second file is non-transactional');
like($second, qr/^ALTER TABLE audit\.events VALIDATE CONSTRAINT ck_events_user;$/m, 'and validates');
mcli(2, [ 'upgrade', 'head' ], 0, qr/Running upgrade .*user check\n.*user check \(validate\)$/ms, qr/^$/, 'upgrade both');
is(sql(q{SELECT convalidated FROM pg_constraint WHERE conname = 'ck_events_user'}), 't', 'the constraint is valid');
mcli(2, [ 'check', '--schema', $schema ], 0, "No changes in schema detected.\n", qr/^$/, 'check --schema is clean');
mcli(2, [ 'downgrade', '-2' ], 0, qr/Running downgrade/, qr/^$/, 'downgrade both');
is(fingerprint(), $fp, 'the schemas are back exactly');

node()->stop;
done_testing();
