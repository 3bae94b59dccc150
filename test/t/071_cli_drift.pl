# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 9: the drift workflow without psql.
# check says what differs between the live schema and its snapshot (which
# object, which attribute); drift --ack accepts the drift and takes a
# snapshot; the snapshot command; after an offline script, check does not
# warn "no snapshot".
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

my $node = cli_start('cli_drift');
fresh('drift');
rev('d1', '', 'create tasks', 'CREATE TABLE tasks (id int, title text);', 'DROP TABLE tasks;');
cli([ '-q', 'upgrade' ], 0, '', '', 'deployed');
cli(['check'], 0, "No problems detected.\n", '', 'clean');

sql('ALTER TABLE tasks ADD COLUMN hotfix int; ALTER TABLE tasks ALTER COLUMN title TYPE varchar(10); CREATE TABLE scratch (x int)');
my ($out) = cli(['check'], 1, qr/^error: schema drift: the live schema differs from snapshot #\d+ taken at d1$/m, '',
	'check: the schema differs');
like($out, qr/^error: schema differs: table public\.tasks, column hotfix: added$/m, 'an added column is named');
like($out, qr/^error: schema differs: table public\.tasks, column title: type: "text" -> "character varying\(10\)"$/m,
	'a changed attribute is named with both values');
like($out, qr/^error: schema differs: table public\.scratch: added$/m, 'an added table is named');
cli([ 'check', '--json' ], 1, qr/"problem":"schema differs","detail":"table public\.tasks, column hotfix: added"/, '',
	'check --json carries the differences');
cli(['drift'], 1, qr/command_tag: ALTER TABLE/, qr/unacknowledged drift event.*\n.*hint: "pg_schemamig drift --ack"/s,
	'drift lists the events');
cli([ 'drift', '--json' ], 1, qr/^\[\{"id":1,.*"command_tag":"ALTER TABLE"/, '', 'drift --json');
cli([ 'drift', '--ack' ], 0, qr/^Acknowledged \d+ drift events; the live schema is now the expected one \(fingerprint [0-9a-f]{12}\)\.$/,
	'', 'drift --ack');
cli(['check'], 0, "No problems detected.\n", '', 'clean after --ack');
cli(['drift'], 0, "No drift detected.\n", '', 'no drift left');

# snapshot: after an intended change by hand
sql('DROP TABLE scratch');
cli(['check'], 1, qr/table public\.scratch: removed/, qr//, 'the removal is named');
cli(['snapshot'], 0, qr/^Recorded the live schema as the expected schema at d1 \(fingerprint [0-9a-f]{12}\)\.$/, '',
	'snapshot');
cli([ 'check' ], 0, qr/^warning: drift: /m, '', 'the schema matches again (drift rows stay until acknowledged)');

# an offline script records a snapshot at its end: no "no snapshot" warning
$node->safe_psql('postgres', 'CREATE DATABASE drift_offline');
$node->safe_psql('drift_offline', 'CREATE EXTENSION pg_schemamig');
my ($script) = cli([ 'upgrade', 'base:head', '--sql', '-q' ], 0, qr/schemamig\.snapshot\(\)/, '', 'the script takes a snapshot');
$node->safe_psql('drift_offline', $script);
my ($cout) = IPC::Run::run([ SchemamigTest::client_command(), '-d', 'dbname=drift_offline', '-D', dir(), 'check', '--no-sync' ],
	'>', \my $stdout, '2>', \my $stderr, init => sub { $ENV{PGHOST} = $node->host; $ENV{PGPORT} = $node->port; });
unlike($stdout, qr/no snapshot/, 'after the offline script, check does not warn "no snapshot"');
like($stdout, qr/No problems detected/, 'and finds nothing');

done_testing();
