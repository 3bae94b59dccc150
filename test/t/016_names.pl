# Copyright (c) pg_schemamig contributors
#
# One syntax for revision ids, branch labels and depends_on entries
# (src/common/names.h, DESIGN's ^[A-Za-z0-9_]{1,64}$), on both sides: the
# client's file parser refuses what the server refuses.  Until the rule was
# shared, the client accepted labels with "-" and "." ("v1.2") that
# add_revision() then rejected.
use strict;
use warnings;
use File::Path qw(make_path);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my @client = client_command();
my $node = PostgreSQL::Test::Cluster->new('names');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_schemamig');

my $tmp = PostgreSQL::Test::Utils::tempdir;
chdir $tmp or die "chdir $tmp: $!";
$ENV{PGHOST} = "$tmp/nonexistent";
delete $ENV{DATABASE_URL};

my $up = "-- message: m\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n";
my $long = 'l' x 65;
my $n = 0;
foreach my $case (
	[ 'label with a dot', "-- branch_labels: v1.2\n", 'v1.2', 'branch_labels' ],
	[ 'label with a dash', "-- branch_labels: feature-x\n", 'feature-x', 'branch_labels' ],
	[ 'label of 65 characters', "-- branch_labels: $long\n", $long, 'branch_labels' ],
	[ 'dependency with a dot', "-- depends_on: v1.2\n", 'v1.2', 'depends_on' ])
{
	my ($name, $header, $bad, $key) = @$case;
	my $dir = 'names' . $n++;
	make_path($dir);
	write_file("$dir/a1_x.sql", "-- revision: a1\n-- down_revision:\n$header$up");
	# a command that changes something refuses before connecting (reading
	# commands answer despite a bad file: 067_cli_bad_file.pl)
	command_checks_all([ @client, '-D', $dir, 'upgrade' ], 1, [qr/^$/],
		[qr/a1_x\.sql:3: invalid name "\Q$bad\E" in "$key" \(allowed: letters, digits and _, at most 64 characters\)/],
		"client refuses $name");
	if ($key eq 'branch_labels')
	{
		my ($ret, $out, $err) = $node->psql('postgres',
			"SELECT schemamig.add_revision('a1', 'm', 'SELECT 1', branch_labels => ARRAY['$bad'])");
		isnt($ret, 0, "server refuses $name too");
		like($err, qr/invalid branch label "\Q$bad\E"/, "server error for $name");
	}
}

# what both accept
make_path('ok');
write_file('ok/a1_x.sql', "-- revision: a1\n-- down_revision:\n-- branch_labels: v1_2\n$up");
write_file('ok/b1_x.sql', "-- revision: b1\n-- down_revision: a1\n-- depends_on: v1_2\n$up");
command_checks_all([ @client, '-D', 'ok', 'revision', '-m', 'next', '--rev-id', 'c1' ], 0,
	[qr/c1_next\.sql/], [qr/^$/], 'client accepts label v1_2 and depends_on v1_2');
is($node->safe_psql('postgres',
		"SELECT schemamig.add_revision('a1', 'm', 'SELECT 1', branch_labels => ARRAY['v1_2'])"),
	'a1', 'server accepts label v1_2');

$node->stop;
done_testing();
