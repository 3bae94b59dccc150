# The drift log and the snapshots are ordinary catalog rows: they survive a
# restart, and pg_dump + restore into a new database keeps them.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('drift');
$node->init;
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION pg_schemamig;
	INSERT INTO schemamig.revision (id, upgrade_sql, checksum, checksum_algorithm)
	VALUES ('r1', 'CREATE TABLE public.app (id integer)',
	        schemamig.checksum('CREATE TABLE public.app (id integer)'), 'pgtok-sha256-v1');
	INSERT INTO schemamig.version VALUES ('r1', 1);
	CREATE TABLE public.app (id integer);
	SELECT schemamig.acknowledge_drift();
	SELECT schemamig.snapshot();
	ALTER TABLE public.app ADD COLUMN by_hand text;
	CREATE INDEX app_by_hand ON public.app (by_hand);
});

my $drift_q = q{SELECT id, command_tag, object_identity, acknowledged, statement
                  FROM schemamig.drift ORDER BY id};
my $snap_q = q{SELECT id, heads, fingerprint, algorithm FROM schemamig.snapshot ORDER BY id};
my $check_q = q{SELECT severity, problem, detail FROM schemamig.check()};

my $drift = $node->safe_psql('postgres', $drift_q);
my $snap = $node->safe_psql('postgres', $snap_q);
my $check = $node->safe_psql('postgres', $check_q);
like($drift, qr/ALTER TABLE\|public\.app\|f\|ALTER TABLE public\.app ADD COLUMN by_hand text/,
	'hand-made ALTER TABLE is logged');
like($drift, qr/CREATE INDEX\|public\.app_by_hand\|f/, 'hand-made CREATE INDEX is logged');
like($check, qr/^error\|schema drift\|/m, 'check() sees the schema drift');

# restart: everything is still there, and the triggers still log
$node->restart;
is($node->safe_psql('postgres', $drift_q), $drift, 'drift log survives a restart');
is($node->safe_psql('postgres', $snap_q), $snap, 'snapshots survive a restart');
is($node->safe_psql('postgres', $check_q), $check, 'check() gives the same answer after a restart');
$node->safe_psql('postgres', 'CREATE TABLE public.after_restart (x integer)');
is($node->safe_psql('postgres',
		q{SELECT count(*) FROM schemamig.drift WHERE object_identity = 'public.after_restart'}),
	'1', 'DDL after the restart is logged');
$drift = $node->safe_psql('postgres', $drift_q);
my $fingerprint = $node->safe_psql('postgres', 'SELECT schemamig.fingerprint()');

# pg_dump + restore into new databases
my $dump = $node->basedir . '/drift.sql';
$node->command_ok([ 'pg_dump', '-f', $dump, '-d', $node->connstr('postgres') ], 'pg_dump');

# restored with the event triggers off (session_replication_role = replica):
# an exact copy
$node->safe_psql('postgres', 'CREATE DATABASE restored_quiet');
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', $dump,
			'-d', $node->connstr('restored_quiet') ], 'restore with the event triggers off');
}
is($node->safe_psql('restored_quiet', $drift_q), $drift, 'restore keeps the drift log');
is($node->safe_psql('restored_quiet', $snap_q), $snap, 'restore keeps the snapshots');
is($node->safe_psql('restored_quiet', 'SELECT schemamig.fingerprint()'), $fingerprint,
	'the restored schema has the same fingerprint');
is($node->safe_psql('restored_quiet', $check_q),
	$node->safe_psql('postgres', $check_q), 'check() answers the same in the copy');

# a plain restore also works: the restore's own DDL is logged as well
$node->safe_psql('postgres', 'CREATE DATABASE restored_plain');
$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', $dump,
		'-d', $node->connstr('restored_plain') ], 'plain restore');
my %restored = map { $_ => 1 } split /\n/, $node->safe_psql('restored_plain', $drift_q);
my @missing = grep { !$restored{$_} } split /\n/, $drift;
is(scalar(@missing), 0, 'plain restore keeps every drift row')
  or diag(join("\n", @missing));
cmp_ok(scalar(keys %restored), '>', scalar(split /\n/, $drift),
	'plain restore also logs the DDL the restore ran');
is($node->safe_psql('restored_plain', $snap_q), $snap, 'plain restore keeps the snapshots');

$node->stop;
done_testing();
