# Parity with Alembic on six real revision histories (../shared/corpora).
#
# Each corpus is registered in graph.json order; then every case of
# answers.json is checked, one assertion per case: resolve (show), history,
# stamp, and the order of upgrade and downgrade steps (plan()).  Where
# Alembic 1.14 differs from 1.8 the 1.14 answer is the expected one
# (../shared/corpora/README.md, "Which answer to match").
use strict;
use warnings;

use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my $node = PostgreSQL::Test::Cluster->new('corpora');
$node->init;
$node->start;

sub lit
{
	my ($s) = @_;
	return 'NULL' unless defined $s;
	$s =~ s/'/''/g;
	return "'$s'";
}

sub arr
{
	my ($l) = @_;
	return 'ARRAY[' . join(',', map { lit($_) } @$l) . ']::text[]';
}

sub slurp_json
{
	my ($path) = @_;
	open(my $fh, '<', $path) or die "cannot open $path: $!";
	local $/;
	my $text = <$fh>;
	close $fh;
	return JSON::PP->new->decode($text);
}

# Runs a batch of (setup, query) pairs in one session; each answer is
# "OK <text>" or "ERR <sqlstate> <message> | <detail>".
sub run_batch
{
	my ($pairs) = @_;
	my $sql = <<'SQL';
CREATE FUNCTION pg_temp.t(setup text, q text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r text; st text; msg text; det text;
BEGIN
  IF setup <> '' THEN EXECUTE setup; END IF;
  EXECUTE q INTO r;
  RETURN 'OK ' || coalesce(r, '');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN pg_catalog.replace('ERR ' || st || ' ' || msg || ' | ' || coalesce(det, ''), E'\n', ' ');
END $fn$;
SQL
	foreach my $p (@$pairs)
	{
		$sql .= 'SELECT pg_temp.t(' . lit($p->[0]) . ', ' . lit($p->[1]) . ");\n";
	}
	my $out = $node->safe_psql('postgres', $sql);
	my @lines = split /\n/, $out;
	die 'expected ' . scalar(@$pairs) . ' answers, got ' . scalar(@lines)
	  unless @lines == @$pairs;
	return @lines;
}

sub set_of { return join(',', sort grep { defined } @{ $_[0] }) }

# how the upgrade/downgrade order is read; plan() comes with the apply code
my $has_plan = $node->safe_psql('postgres',
	"CREATE EXTENSION pg_schemamig; SELECT pg_catalog.to_regprocedure('schemamig.plan(text)') IS NOT NULL")
  eq 't';
diag('schemamig.plan(text) is not installed: upgrade and downgrade cases are not checked')
  unless $has_plan;

sub order_query
{
	my ($case) = @_;
	# plan() gives several rows (statements) per revision
	return 'SELECT coalesce(pg_catalog.string_agg(revision || \':\' || direction, \',\' ORDER BY first_step), \'\') '
	  . 'FROM (SELECT revision, direction, pg_catalog.min(step) AS first_step '
	  . 'FROM schemamig.plan(' . lit($case->{target}) . ') GROUP BY revision, direction) AS p';
}

foreach my $dir (corpora_dirs())
{
	next unless -f "$dir/graph.json";
	my $corpus = $dir;
	$corpus =~ s{.*/}{};
	my $graph = slurp_json("$dir/graph.json");
	my $answers = slurp_json("$dir/answers.json");

	my $reg = "DROP EXTENSION pg_schemamig; CREATE EXTENSION pg_schemamig;\n";
	foreach my $r (@$graph)
	{
		$reg .= 'SELECT schemamig.add_revision('
		  . join(', ',
			lit($r->{revision}), lit($r->{message}), "'SELECT 1'", "'SELECT 1'",
			arr($r->{down_revisions}), arr($r->{branch_labels}), arr($r->{depends_on}))
		  . ");\n";
	}
	$node->safe_psql('postgres', $reg);

	# whole-graph answers
	my $s = $answers->{summary};
	my @summary = (
		[ 'heads', 'SELECT string_agg(revision, \',\') FROM schemamig.heads()', set_of($s->{heads}) ],
		[ 'real heads', 'SELECT string_agg(revision, \',\') FROM schemamig.heads(true)', set_of($s->{real_heads}) ],
		[ 'bases', 'SELECT string_agg(revision, \',\') FROM schemamig.bases()', set_of($s->{bases}) ],
		[ 'real bases', 'SELECT string_agg(revision, \',\') FROM schemamig.bases(true)', set_of($s->{real_bases}) ],
		[ 'branch points', 'SELECT string_agg(revision, \',\') FROM schemamig.branches()', set_of($s->{branch_points}) ],
		[ 'merge points', 'SELECT string_agg(revision, \',\') FROM schemamig.history() WHERE is_merge_point', set_of($s->{merge_points}) ],
		[ 'effective branch labels',
		  'SELECT string_agg(revision || \'=\' || array_to_string(branch_labels, \'+\'), \',\') '
		  . 'FROM schemamig.history() WHERE branch_labels <> \'{}\'',
		  join(',', sort map { my $l = $s->{branch_labels_effective}{$_}; "$_=" . join('+', sort @$l) }
			  grep { @{ $s->{branch_labels_effective}{$_} } } keys %{ $s->{branch_labels_effective} }) ],
	);
	my @got = run_batch([ map { [ '', $_->[1] ] } @summary ]);
	for my $i (0 .. $#summary)
	{
		my $g = $got[$i];
		$g =~ s/^OK //;
		$g = join(',', sort split /,/, $g);
		is($g, $summary[$i][2], "$corpus: $summary[$i][0]");
	}

	my @cases;
	my @pairs;
	foreach my $case (@{ $answers->{cases} })
	{
		my $op = $case->{op};
		my $expect = $case->{alembic_1_14_differs} ? $case->{result_alembic_1_14} : $case->{result};
		my ($setup, $q) = ('', undef);
		my $from_sql = defined $case->{from}
		  ? 'SELECT schemamig.stamp(' . arr($case->{from}) . ', purge => true)' : '';

		if ($op eq 'resolve')
		{
			$q = 'SELECT coalesce(pg_catalog.string_agg(revision, \',\' ORDER BY ordinality), \'\') '
			  . 'FROM schemamig.show(' . lit($case->{target}) . ') WITH ORDINALITY AS s';
		}
		elsif ($op eq 'history')
		{
			$q = 'SELECT coalesce(pg_catalog.string_agg(revision, \',\' ORDER BY ordinality), \'\') '
			  . 'FROM schemamig.history(' . lit($case->{target}) . ') WITH ORDINALITY AS s';
		}
		elsif ($op eq 'stamp')
		{
			$setup = $from_sql;
			my $t = ref $case->{target} ? arr($case->{target}) : lit($case->{target});
			$q = "SELECT pg_catalog.array_to_string(schemamig.stamp($t), ',')";
		}
		elsif ($op eq 'upgrade' || $op eq 'downgrade')
		{
			next unless $has_plan;
			$setup = $from_sql;
			$q = order_query($case);
		}
		else
		{
			die "unknown op $op";
		}
		push @cases, [ $case, $expect ];
		push @pairs, [ $setup, $q ];
	}
	my @answers = run_batch(\@pairs);

	for my $i (0 .. $#cases)
	{
		my ($case, $expect) = @{ $cases[$i] };
		my $got = $answers[$i];
		my $op = $case->{op};
		my $name = "$corpus: case $case->{id} $case->{tag} $op "
		  . (defined $case->{target} ? (ref $case->{target} ? join(' ', @{ $case->{target} }) : $case->{target}) : '(all)')
		  . (defined $case->{from} ? ' from [' . join(' ', @{ $case->{from} }) . ']' : '');

		# plan() has no direction of its own: where Alembic refuses an
		# upgrade or downgrade, or upgrades nothing, the plan must at least
		# not take a step in that direction (it may go the other way: a
		# target below the heads is a downgrade for plan())
		if (($op eq 'upgrade' || $op eq 'downgrade') && $got =~ /^OK /
			&& (exists $expect->{error} || !@{ $expect->{revisions} }))
		{
			unlike($got, qr/:$op/, "$name (no $op step)");
			next;
		}
		if (exists $expect->{error})
		{
			my $ok = $got =~ /^ERR (?!XX000)/;
			my $err = $expect->{revision_map_error} // '';
			# where Alembic fails its own assertion (a history range whose
			# start is below its end only through depends_on), history()
			# answers (docs/sql-api-graph.md, "Where the answers differ")
			$ok = 1 if $op eq 'history' && ($expect->{error_type} // '') eq 'AssertionError' && $got =~ /^OK ./;
			if ($ok && $err =~ /^Multiple revisions start with '[^']*': (.*)\.\.\.$/)
			{
				# the candidates Alembic names come first in our detail
				my @cand = $1 =~ /'([^']*)'/g;
				my $want = 'It matches ' . join(', ', map { "\"$_\"" } @cand);
				$ok = index($got, $want) >= 0;
				diag("$name: expected candidates $want in: $got") unless $ok;
			}
			ok($ok, "$name (error)") or diag("got: $got; Alembic: $expect->{error}");
			next;
		}

		my $want;
		if ($op eq 'resolve' || $op eq 'history')
		{
			$want = 'OK ' . join(',', grep { defined } @{ $expect->{revisions} });
		}
		elsif ($op eq 'stamp')
		{
			$want = 'OK ' . set_of($expect->{heads_after});
			$got = 'OK ' . join(',', sort split /,/, substr($got, 3)) if $got =~ /^OK /;
		}
		else
		{
			$want = 'OK ' . join(',', map { "$_:$op" } @{ $expect->{revisions} });
		}
		is($got, $want, $name);
	}
}

$node->stop;
done_testing();
