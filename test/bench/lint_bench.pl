# Driver of test/bench/lint_bench.sh, run through scripts/dev_check.sh so
# that the install lock is held (and this tree's build installed) for the
# whole benchmark.  Not part of the test suite (it lives outside test/t).
# Writes the report to $ENV{LINT_BENCH_OUT} or /tmp/lint_bench_out/lint.md.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;
use File::Path qw(make_path);

my $out = $ENV{LINT_BENCH_OUT} // '/tmp/lint_bench_out/lint.md';
make_path(File::Basename::dirname($out));
my $node = PostgreSQL::Test::Cluster->new('lintbench');
$node->init;
$node->append_conf('postgresql.conf', "schemamig.lock_timeout = '2s'\nTimeZone = 'UTC'");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_schemamig');
$node->safe_psql('postgres', slurp_file('test/lint/fixture.sql'));
my $wl = PostgreSQL::Test::Utils::tempdir();
# ../shared (or $SHARED_DIR): the peers' workload generator and the corpora
$ENV{SHARED_DIR} = shared_dir();
system('python3', "$ENV{SHARED_DIR}/peers/gen.py", '-n', '1000', '-o', "$wl/wl",
	'--url', 'postgresql://x') == 0 or die "gen.py failed";
my $psql = join(' ', 'psql -X -q -At', '-h', $node->host, '-p', $node->port, '-d', 'postgres');
my $rc = system('python3', 'test/bench/lint_compare.py', '--psql', $psql,
	'--squawk', 'test/bench/node_modules/.bin/squawk',
	'--workload', "$wl/wl/raw/up.sql", '--out', $out);
is($rc, 0, "report written to $out");
$node->stop;
done_testing();
