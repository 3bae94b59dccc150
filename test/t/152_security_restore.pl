# Copyright (c) pg_schemamig contributors
#
# Issue 10, item 11: after pg_dump and pg_restore, the drift rows the
# restore's own DDL logged and the rows that came back from the dump never
# share an id, and new rows never reuse one, so acknowledge_drift(n)
# acknowledges only what its caller saw up to n.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('security_restore');
$node->init;
$node->start;
my $tmp = PostgreSQL::Test::Utils::tempdir;

$node->safe_psql('postgres', q{
CREATE EXTENSION pg_schemamig;
CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE b (id int);
CREATE INDEX b_id ON b (id);
ALTER TABLE b ADD COLUMN v text;
CREATE VIEW bv AS SELECT id FROM b;
});
my $before = $node->safe_psql('postgres', q{SELECT count(*) || ':' || max(id) FROM schemamig.drift});
like($before, qr/^\d+:\d+$/, "drift rows before the dump ($before)");

my $dump = "$tmp/db.dump";
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, 'postgres' ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'pg_restore', '-d', 'restored', $dump ], 'pg_restore');

my $db = 'restored';
is($node->safe_psql($db, q{SELECT count(*) FROM (SELECT id FROM schemamig.drift GROUP BY id HAVING count(*) > 1) d}),
	'0', 'no two drift rows share an id after the restore');
my ($n, $max) = split /:/, $before;
is($node->safe_psql($db, qq{SELECT count(*) FROM schemamig.drift WHERE id <= $max}), $n,
	'the ids up to the old maximum are exactly the dumped rows');
cmp_ok($node->safe_psql($db, qq{SELECT count(*) FROM schemamig.drift WHERE id > $max}), '>', 0,
	'the rows the restore logged come after them');

# new DDL after the restore gets a fresh id
$node->safe_psql($db, 'CREATE TABLE c (id int)');
is($node->safe_psql($db, q{SELECT count(*) FROM (SELECT id FROM schemamig.drift GROUP BY id HAVING count(*) > 1) d}),
	'0', 'new rows reuse no id');
my $newest = $node->safe_psql($db, q{SELECT id FROM schemamig.drift WHERE object_identity = 'public.c'});
is($node->safe_psql($db, q{SELECT max(id) FROM schemamig.drift}), $newest, 'the newest row has the highest id');

# acknowledging what was seen before the dump acknowledges only those rows
is($node->safe_psql($db, qq{SELECT schemamig.acknowledge_drift($max)}), $n,
	"acknowledge_drift($max) acknowledges the $n dumped rows");
is($node->safe_psql($db, qq{SELECT count(*) FROM schemamig.drift WHERE NOT acknowledged}),
	$node->safe_psql($db, qq{SELECT count(*) FROM schemamig.drift WHERE id > $max}),
	'every row logged since stays unacknowledged');

$node->stop;
done_testing();
