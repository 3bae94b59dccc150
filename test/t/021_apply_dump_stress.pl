# pg_dump keeps revisions, version table and log, and upgrade continues from
# the restored state.  Many sessions calling upgrade('head') at once all
# succeed and every revision runs exactly once.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

my $revs = "CREATE EXTENSION pg_schemamig;\n"
  . "SELECT schemamig.add_revision('s1', 'table 1', 'CREATE TABLE st1 (id int)', 'DROP TABLE st1', '{}');\n";
for my $i (2 .. 40)
{
	$revs .= "SELECT schemamig.add_revision('s$i', 'table $i', 'CREATE TABLE st$i (id int)', 'DROP TABLE st$i');\n";
}
$node->safe_psql('postgres', $revs);

# --- many sessions at once ---------------------------------------------------
my $script = $node->basedir . '/upgrade.sql';
append_to_file($script,
	"SET client_min_messages = warning;\nSELECT count(*) FROM schemamig.upgrade('head');\n");
$node->command_ok(
	[ 'pgbench', '-n', '-c', '8', '-j', '8', '-t', '3', '-f', $script, 'postgres' ],
	'8 concurrent sessions calling upgrade(head) three times each all succeed');
is($node->safe_psql('postgres', q{SELECT count(*) FROM schemamig.log WHERE direction = 'upgrade'}),
	'40', 'every revision was applied exactly once');
is($node->safe_psql('postgres', 'SELECT revision FROM schemamig.version'),
	's40', 'the version table holds the head');

# --- pg_dump and restore -------------------------------------------------------
$node->safe_psql('postgres',
	q{SET client_min_messages = warning; SELECT count(*) FROM schemamig.downgrade('s20')});
my $dump = $node->basedir . '/db.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, 'postgres' ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'pg_restore', '-d', 'restored', $dump ], 'pg_restore');

for my $q (
	'SELECT count(*) FROM schemamig.revision',
	q{SELECT string_agg(revision, ',') FROM schemamig.version},
	q{SELECT string_agg(revision || ':' || direction, ',' ORDER BY id) FROM schemamig.log},
	q{SELECT count(*) FROM pg_class WHERE relname ~ '^st[0-9]+$'})
{
	is($node->safe_psql('restored', $q), $node->safe_psql('postgres', $q),
		"restored database keeps: $q");
}
is( $node->safe_psql('restored',
		q{SET client_min_messages = warning; SELECT count(*) FROM schemamig.upgrade('head')}),
	'20', 'upgrade continues from the restored state');
is($node->safe_psql('restored', 'SELECT revision FROM schemamig.version'),
	's40', 'restored database reaches the head');
is( $node->safe_psql('restored',
		q{SELECT count(DISTINCT id) = count(*) FROM schemamig.log}),
	't', 'log ids stay unique after the restore');

$node->stop;
done_testing();
