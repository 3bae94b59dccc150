# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 4: progress as it happens.  Within one
# transaction, each "Running upgrade ..." line is printed when its step
# starts (the server's schemamig.progress notices), not when the whole
# upgrade is done.  Shown without timing: stdout and stderr go to one
# stream, and each revision raises a warning while it runs; every warning
# must come after its own step's line and before the next one's.
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

cli_start('cli_progress');
fresh('progress');
for my $r ([ 'p1', '' ], [ 'p2', 'p1' ], [ 'p3', 'p2' ])
{
	my ($id, $down) = @$r;
	rev($id, $down, "step $id", "DO \$\$ BEGIN RAISE WARNING 'inside $id'; END \$\$;", 'SELECT 1;');
}
cli(['upgrade'], 0,
	qr/\ARunning upgrade  -> p1, step p1\n[^\n]*warning: inside p1\nRunning upgrade p1 -> p2, step p2\n[^\n]*warning: inside p2\nRunning upgrade p2 -> p3, step p3\n[^\n]*warning: inside p3\n\z/,
	undef, 'one transaction: each step is printed as it starts', merge => 1);
cli([ 'downgrade', 'base' ], 0,
	"Running downgrade p3 -> p2, step p3\nRunning downgrade p2 -> p1, step p2\nRunning downgrade p1 -> , step p1\n",
	'', 'downgrade prints the same lines');
cli([ '-q', 'upgrade' ], 0, '', qr/warning: inside p1/, '--quiet: no progress lines');
is(node()->safe_psql('progress', "SELECT count(*) FROM schemamig.log WHERE direction = 'upgrade'"), '6',
	'both upgrades applied');
# psql users see the server's notices unchanged: one per step, with its time
my ($ret, $out, $err) = node()->psql('progress', "SELECT count(*) FROM schemamig.downgrade('base')");
like($err, qr/NOTICE:  Running downgrade p3 -> p2, step p3 \(\d+ ms\)/, 'the completion notice is unchanged');
unlike($err, qr/NOTICE:  Running downgrade p3 -> p2, step p3\n/, 'no start notice unless schemamig.progress is on');
($ret, $out, $err) = node()->psql('progress', "SET schemamig.progress = on; SELECT count(*) FROM schemamig.upgrade('p1')");
like($err, qr/NOTICE:  Running upgrade  -> p1, step p1\n.*NOTICE:  Running upgrade  -> p1, step p1 \(\d+ ms\)/s,
	'schemamig.progress on: a notice when the step starts, then the usual one');

done_testing();
