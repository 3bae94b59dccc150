# Lint snippet corpus, fuzzing and the real migration corpora.
#
# 1. Every snippet of test/lint/snippets/ (see test/lint/make_snippets.py)
#    gets exactly the findings of severity warning/error its "-- expect:"
#    header lists, on the fixture of test/lint/fixture.sql.
# 2. Fuzz: seeded random mutations of the snippets go through lint() and
#    review(); the server must answer every one (no crash).
# 3. Every SQL file of ../shared/corpora/*/sql/ goes through lint(): no crash.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;
use File::Basename;

my $node = PostgreSQL::Test::Cluster->new('lint');
$node->init;
$node->append_conf('postgresql.conf', "schemamig.lock_timeout = '2s'\nschemamig.statement_timeout = '1min'\nTimeZone = 'UTC'");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_schemamig');
$node->safe_psql('postgres', slurp_file('test/lint/fixture.sql'));

# A dollar-quote tag that does not occur in $text.
sub quote_sql
{
	my ($text) = @_;
	my $tag = 'q';
	$tag .= 'x' while $text =~ /\$$tag\$/;
	return "\$$tag\$$text\$$tag\$";
}

# 1. the snippet corpus
my @files = sort glob('test/lint/snippets/*.sql');
cmp_ok(scalar(@files), '>=', 150, 'at least 150 snippets');
my $sql = '';
my %expect;
foreach my $f (@files)
{
	my $text = slurp_file($f);
	my ($exp) = $text =~ /^-- expect: (.*)$/m;
	my $name = basename($f, '.sql');
	$expect{$name} = join(' ', sort split(/\s+/, $exp eq 'none' ? '' : $exp));
	$sql .= "SELECT '$name' || '|' || COALESCE(string_agg(rule || ':' || severity, ' ' ORDER BY rule || ':' || severity), '')"
	  . " FROM schemamig.lint(" . quote_sql($text) . ") WHERE severity <> 'info';\n";
}
my $out = $node->safe_psql('postgres', $sql);
my %got = map { split(/\|/, $_, 2) } split(/\n/, $out);
foreach my $name (sort keys %expect)
{
	is($got{$name} // '<missing>', $expect{$name}, "snippet $name");
}

# 2. fuzz: deletions, duplications, insertions of SQL fragments, truncation
srand(20261122);
my @texts = map { slurp_file($_) } @files;
my @bits = ('(', ')', ';', ',', "'", '"', '$$', '--', '/*', '*/', ' NOT VALID',
	' CONCURRENTLY', ' ALTER TABLE ', ' ADD COLUMN ', ' DEFAULT ', ' CHECK (',
	' REFERENCES ', ' USING ', ' CASCADE', ' PRIMARY KEY', ' ONLY ', "\0x", 'E\'\\',
	' -- schemamig:allow ', ' $a$ ', '::', ' IDENTITY', 'x' x 70);
my $rounds = 1500;
my $fuzz = '';
for my $i (1 .. $rounds)
{
	my $t = $texts[ int(rand(@texts)) ];
	for my $m (1 .. 1 + int(rand(4)))
	{
		my $pos = int(rand(length($t) + 1));
		my $kind = int(rand(4));
		if ($kind == 0) { substr($t, $pos, int(rand(12)), ''); }
		elsif ($kind == 1) { substr($t, $pos, 0, $bits[ int(rand(@bits)) ]); }
		elsif ($kind == 2) { $t = substr($t, 0, $pos); }
		else { substr($t, $pos, 0, substr($t, int(rand(length($t) + 1)), int(rand(30)))); }
	}
	$t =~ s/\0//g;
	$fuzz .= "SELECT count(*) FROM schemamig.lint(" . quote_sql($t) . ");\n";
}
my ($ret, $stdout, $stderr) = $node->psql('postgres', $fuzz, on_error_stop => 0);
my $answers = () = $stdout =~ /^\d+$/mg;
is($answers, $rounds, "fuzz: lint answered all $rounds mutated inputs");
unlike($stderr, qr/server closed the connection|terminated abnormally/, 'fuzz: no backend crash');

# review() over mutated revisions too (read-only data checks on the fixture)
my $rev = '';
for my $i (1 .. 200)
{
	my $t = $texts[ int(rand(@texts)) ];
	my $pos = int(rand(length($t) + 1));
	substr($t, $pos, int(rand(10)), $bits[ int(rand(@bits)) ]) if $i % 2;
	$t =~ s/\0//g;
	$t =~ s/^-- .*\n//mg;
	$rev .= "INSERT INTO schemamig.revision (id, upgrade_sql, downgrade_sql, checksum, checksum_algorithm)"
	  . " VALUES ('f$i', " . quote_sql($t) . ", " . quote_sql($texts[ $i % @texts ]) . ", 'x', 'x');\n"
	  . "SELECT count(*) FROM schemamig.review('f$i');\n";
}
($ret, $stdout, $stderr) = $node->psql('postgres', $rev, on_error_stop => 0);
$answers = () = $stdout =~ /^\d+$/mg;
is($answers, 200, 'fuzz: review answered all 200 mutated revisions');
is($node->safe_psql('postgres', 'SELECT count(*) FROM acct'), '20000',
	'review data checks changed no rows');

# 3. the real corpora
my @corpus = sort map { glob("$_/sql/*.sql") } corpora_dirs();
my $csql = '';
foreach my $f (@corpus)
{
	$csql .= "SELECT count(*) FROM schemamig.lint(" . quote_sql(slurp_file($f)) . ");\n";
}
($ret, $stdout, $stderr) = $node->psql('postgres', $csql, on_error_stop => 0);
$answers = () = $stdout =~ /^\d+$/mg;
is($answers, scalar(@corpus), 'lint answered every corpus file (' . scalar(@corpus) . ')');
is($ret, 0, 'no error on the corpora');

$node->stop;
done_testing();
