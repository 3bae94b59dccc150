# Copyright (c) pg_schemamig contributors
#
# Issue 10, items 2 and 17: an offline script pins the settings that change
# how psql and the server read it, so a revision whose string literal holds
# a backslash does the same offline (run by psql under
# standard_conforming_strings = off) as online, and no psql command hidden
# in it runs; and the client applies a non-transactional revision made of
# plain statements (a batched UPDATE) top-level, as the hint of upgrade()
# promises.
use strict;
use warnings;
use File::Path qw(make_path);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my @client = client_command();

my $node = PostgreSQL::Test::Cluster->new('security_offline');
$node->init;
$node->start;
my $tmp = PostgreSQL::Test::Utils::tempdir;
my $marker = "$tmp/psql_ran_this";

# a literal ending in a backslash, then one that reads like a psql command
# when the backslash escapes the quote (standard_conforming_strings off)
my $up = "CREATE TABLE bs AS SELECT 'C:\\' AS dir, '\\! touch $marker' AS note;";
$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', 'CREATE EXTENSION pg_schemamig');
$node->safe_psql('src', "SELECT schemamig.add_revision('b1', 'backslash', \$q\$$up\$q\$, 'DROP TABLE bs', '{}')");
my $script = $node->safe_psql('src', q{SELECT schemamig.upgrade_sql('head')});
like($script, qr/^SET standard_conforming_strings = on;$/m, 'the script pins standard_conforming_strings');
like($script, qr/^SET client_encoding = /m, 'and client_encoding');
like($script, qr/^SET check_function_bodies = on;$/m, 'and check_function_bodies');

# online, as the reference
$node->safe_psql('src', q{SELECT count(*) FROM schemamig.upgrade('head')});
my $online = $node->safe_psql('src', q{SELECT dir || '|' || note FROM bs});

# offline, in a database whose default is standard_conforming_strings = off
$node->safe_psql('postgres', 'CREATE DATABASE dst');
$node->safe_psql('dst', 'CREATE EXTENSION pg_schemamig');
$node->safe_psql('postgres', 'ALTER DATABASE dst SET standard_conforming_strings = off');
my $file = "$tmp/up.sql";
write_file($file, $script);
my ($stdout, $stderr);
IPC::Run::run([ 'psql', '-X', '-q', '-d', $node->connstr('dst'), '-f', $file ],
	'>', \$stdout, '2>', \$stderr);
is($? >> 8, 0, 'the script runs under standard_conforming_strings = off') or diag($stderr);
ok(!-e $marker, 'no psql command hidden in a string literal ran');
is($node->safe_psql('dst', q{SELECT dir || '|' || note FROM bs}), $online,
	'the offline result equals the online one');
is($node->safe_psql('dst', q{SELECT string_agg(revision, ',') FROM schemamig.version}), 'b1',
	'the script recorded the revision');

# online, a session with standard_conforming_strings = off reads the
# revision as offline scripts do
$node->safe_psql('postgres', 'CREATE DATABASE dst2');
$node->safe_psql('dst2', 'CREATE EXTENSION pg_schemamig');
$node->safe_psql('dst2', "SELECT schemamig.add_revision('b1', 'backslash', \$q\$$up\$q\$, 'DROP TABLE bs', '{}')");
$node->safe_psql('dst2', q{SET standard_conforming_strings = off; SELECT count(*) FROM schemamig.upgrade('head')});
is($node->safe_psql('dst2', q{SELECT dir || '|' || note FROM bs}), $online,
	'upgrade() reads the revision the same way whatever the session says');

# item 17: a non-transactional revision of plain statements, through the client
my $dir = "$tmp/migrations";
make_path($dir);
write_file("$dir/n1.sql", "-- revision: n1\n-- down_revision:\n-- message: table\n-- +upgrade\n"
	. "CREATE TABLE nt (id int, done boolean NOT NULL DEFAULT false);\nINSERT INTO nt SELECT g FROM generate_series(1, 10) g;\n"
	. "-- +downgrade\nDROP TABLE nt;\n");
write_file("$dir/n2.sql", "-- revision: n2\n-- down_revision: n1\n-- transactional: false\n-- message: batched update\n"
	. "-- +upgrade\nUPDATE nt SET done = true WHERE id <= 5;\nUPDATE nt SET done = true WHERE id > 5;\n"
	. "-- +downgrade\nUPDATE nt SET done = false;\n");
$node->safe_psql('postgres', 'CREATE DATABASE cli');
$node->safe_psql('cli', 'CREATE EXTENSION pg_schemamig');
{
	local %ENV = %ENV;
	$ENV{PGHOST} = $node->host;
	$ENV{PGPORT} = $node->port;
	delete $ENV{DATABASE_URL};
	IPC::Run::run([ @client, '-d', 'dbname=cli', '-D', $dir, 'upgrade', 'head' ],
		'>', \$stdout, '2>', \$stderr);
	is($? >> 8, 0, 'the client applies a non-transactional revision of plain statements') or diag($stderr);
}
is($node->safe_psql('cli', q{SELECT count(*) FROM nt WHERE done}), '10', 'both batches ran');
is($node->safe_psql('cli', q{SELECT string_agg(revision, ',') FROM schemamig.version}), 'n2', 'n2 is applied');

$node->stop;
done_testing();
