# Copyright (c) pg_schemamig contributors
#
# The client without a server answers as the server does (issue 9, and the
# --sql point of issue 14): each Alembic corpus of ../shared/corpora becomes
# a migrations folder (the corpus' own SQL as revision SQL), is synced into
# a database, and then every case of its answers.json runs twice:
#   resolve, history: "show T" / "history -r T" through --offline (shared
#     graph engine on the files, no server reachable) and through the
#     database; stdout, stderr and exit status must be equal;
#   upgrade, downgrade: "upgrade FROM:T --sql" (files alone, so the
#     checksums and statement boundaries come from the client's copy of the
#     scanner) against the server's upgrade_sql(T, FROM); the scripts, or
#     the errors, must be equal.
# heads and branches are compared once per corpus.
use strict;
use warnings;
use File::Basename;
use File::Path qw(make_path);
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my @client = client_command();
my $node = PostgreSQL::Test::Cluster->new('offline_parity');
$node->init;
$node->start;
my $tmp = PostgreSQL::Test::Utils::tempdir;
delete $ENV{DATABASE_URL};

sub slurp_json { return decode_json(slurp($_[0])); }

sub lit
{
	my ($s) = @_;
	return 'NULL' unless defined $s;
	$s =~ s/'/''/g;
	return "'$s'";
}

# runs the client; returns (exit status, stdout, stderr)
sub run_client
{
	my ($online, $db, $dir, @args) = @_;
	my ($out, $err);
	local %ENV = %ENV;
	if ($online)
	{
		$ENV{PGHOST} = $node->host;
		$ENV{PGPORT} = $node->port;
		# the files are synced already: this sync finds nothing to do, and
		# links the registered revisions to their files (for "Path:")
		@args = ('-d', "dbname=$db", @args);
	}
	else
	{
		# nothing to connect to
		$ENV{PGHOST} = "$tmp/no-server-here";
		delete $ENV{PGDATABASE};
		@args = ('--offline', @args) unless grep { $_ eq '--sql' } @args;
	}
	IPC::Run::run([ @client, '-D', $dir, @args ], '>', \$out, '2>', \$err);
	return ($? >> 8, $out, $err);
}

# the same command offline and online: one assertion
sub same_answer
{
	my ($db, $dir, $name, @args) = @_;
	my @off = run_client(0, $db, $dir, @args);
	my @on = run_client(1, $db, $dir, @args);

	# -v online also says where it connected
	$on[2] =~ s/^pg_schemamig: info: connected to database .*\n//m;
	is_deeply(\@off, \@on, $name) or diag("offline: @off\nonline: @on");
}

# the server's scripts for a list of (function, target, from) in one session:
# "OK <hex>" or "ERR <sqlstate> <message> | <detail>"
sub server_scripts
{
	my ($db, $calls) = @_;
	my $sql = <<'SQL';
CREATE FUNCTION pg_temp.s(fn text, t text, f text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r text; st text; msg text; det text;
BEGIN
  EXECUTE pg_catalog.format('SELECT schemamig.%I($1, $2)', fn) INTO r USING t, f;
  RETURN 'OK ' || pg_catalog.encode(pg_catalog.convert_to(r, 'UTF8'), 'hex');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN pg_catalog.replace('ERR ' || st || ' ' || msg || ' | ' || coalesce(det, ''), E'\n', ' ');
END $fn$;
SQL
	$sql .= 'SELECT pg_temp.s(' . join(', ', map { lit($_) } @$_) . ");\n" foreach @$calls;
	my @lines = split /\n/, $node->safe_psql($db, $sql);
	die 'expected ' . scalar(@$calls) . ' answers, got ' . scalar(@lines) unless @lines == @$calls;
	return @lines;
}

foreach my $cdir (corpora_dirs())
{
	my $corpus = basename($cdir);
	my $db = "c_$corpus";
	my $dir = "$tmp/$corpus";
	my $graph = slurp_json("$cdir/graph.json");
	my $answers = slurp_json("$cdir/answers.json");

	make_path($dir);
	foreach my $r (@$graph)
	{
		my $id = $r->{revision};
		my $up = -f "$cdir/sql/$id.up.sql" ? slurp("$cdir/sql/$id.up.sql") : "SELECT 1;\n";
		my $down = -f "$cdir/sql/$id.down.sql" ? slurp("$cdir/sql/$id.down.sql") : "SELECT 1;\n";
		my $msg = $r->{message} // '';
		$msg =~ s/[\r\n]+/ /g;
		my $text = "-- revision: $id\n-- down_revision: " . join(', ', @{ $r->{down_revisions} }) . "\n";
		$text .= '-- branch_labels: ' . join(', ', @{ $r->{branch_labels} }) . "\n" if @{ $r->{branch_labels} };
		$text .= '-- depends_on: ' . join(', ', @{ $r->{depends_on} }) . "\n" if @{ $r->{depends_on} };
		$text .= "-- transactional: false\n" if "$up$down" =~ /\bconcurrently\b/i;
		$text .= "-- message: $msg\n-- +upgrade\n$up\n-- +downgrade\n$down\n";
		write_file("$dir/${id}_rev.sql", $text);
	}
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION pg_schemamig');
	{
		local %ENV = %ENV;
		$ENV{PGHOST} = $node->host;
		$ENV{PGPORT} = $node->port;
		my ($out, $err);
		IPC::Run::run([ @client, '-q', '-d', "dbname=$db", '-D', $dir, 'sync' ], '>', \$out, '2>', \$err);
		is($? >> 8, 0, "$corpus: sync") or diag($err);
	}

	same_answer($db, $dir, "$corpus: heads", 'heads');
	same_answer($db, $dir, "$corpus: branches", 'branches');
	same_answer($db, $dir, "$corpus: history -v", '-v', 'history');

	my @scripts;
	foreach my $case (@{ $answers->{cases} })
	{
		my $op = $case->{op};
		my $t = $case->{target};
		my $name = "$corpus: case $case->{id} $case->{tag} $op " . (defined $t ? (ref $t ? "@$t" : $t) : '(all)');

		if ($op eq 'resolve')
		{
			same_answer($db, $dir, $name, 'show', $t);
		}
		elsif ($op eq 'history')
		{
			same_answer($db, $dir, $name, 'history', (defined $t ? ('-r', $t) : ()));
		}
		elsif ($op eq 'upgrade' || $op eq 'downgrade')
		{
			my @from = @{ $case->{from} // [] };
			my $from = @from ? join(',', @from) : 'base';
			push @scripts, [ $name, $op, $t, $from ];
		}
	}

	# the scripts: the client from the files, the server from its catalog
	my @server = server_scripts($db, [ map { [ "$_->[1]_sql", $_->[2], $_->[3] ] } @scripts ]);
	my $n = 0;
	foreach my $s (@scripts)
	{
		my ($name, $op, $t, $from) = @$s;
		my $want = shift @server;
		my ($rc, $out, $err) = run_client(0, $db, $dir, $op, "$from:$t", '--sql');
		my $got;
		if ($rc == 0)
		{
			$got = 'OK ' . unpack('H*', $out);
		}
		elsif ($err =~ /error: generating the \w+ script: (.*) \(SQLSTATE (\w{5})\)\n(?:pg_schemamig: detail: (.*)\n)?/)
		{
			$got = "ERR $2 $1 | " . ($3 // '');
		}
		else
		{
			$got = "exit $rc: $err";
		}
		# the client ends its output with a newline the server's text has too
		is($got, $want, "$name from [$from] --sql = $op\_sql()");
		$n++;
	}
	ok($n > 0, "$corpus: $n scripts compared");
}

$node->stop;
done_testing();
