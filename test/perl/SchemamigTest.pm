# Copyright (c) pg_schemamig contributors
#
# test/perl/SchemamigTest.pm
#	  What the pg_schemamig TAP tests share: where the client is, where the
#	  data from other projects is (../shared, or $SHARED_DIR), and small file
#	  helpers.  The Makefile puts test/perl on prove's include path.
package SchemamigTest;

use strict;
use warnings;
use Cwd qw(abs_path);
use Exporter 'import';
use File::Basename qw(dirname);

our @EXPORT = qw(client_command shared_dir corpora_dirs write_file slurp);

# The installed client as a command list: PostgreSQL's bindir first, then
# PATH.  PG_SCHEMAMIG_WRAPPER runs it under a tool, e.g.
# "valgrind -q --leak-check=full --error-exitcode=99".
sub client_command
{
	my $bindir = `pg_config --bindir`;
	chomp $bindir;
	my $client = -x "$bindir/pg_schemamig" ? "$bindir/pg_schemamig" : 'pg_schemamig';
	return ((split ' ', ($ENV{PG_SCHEMAMIG_WRAPPER} // '')), $client);
}

# The folder of data from other projects: $SHARED_DIR (test/run_tests.sh
# sets it, since the suites run in a copy of the tree), else ../shared
# (or ../../shared) relative to the checkout.  Dies when there is none: a test that needs the
# data must not pass without it.
sub shared_dir
{
	my $dir = $ENV{SHARED_DIR};
	if (!defined $dir || $dir eq '')
	{
		# ../shared beside the checkout, or ../../shared for a worktree
		my $root = dirname(abs_path(__FILE__)) . '/../..';
		($dir) = grep { -d "$_/corpora" } ("$root/../shared", "$root/../../shared");
		$dir //= "$root/../shared";
	}
	die "no shared data folder at $dir (set SHARED_DIR)\n" unless -d $dir;
	return abs_path($dir);
}

# The Alembic corpora (../shared/corpora/*), one folder each, sorted.
sub corpora_dirs
{
	my $root = shared_dir() . '/corpora';
	my @dirs = sort grep { -f "$_/graph.json" } glob("$root/*");
	die "no corpora under $root\n" unless @dirs;
	return @dirs;
}

sub write_file
{
	my ($path, $text) = @_;
	open my $fh, '>', $path or die "open $path: $!";
	print $fh $text;
	close $fh;
	return;
}

sub slurp
{
	my ($path) = @_;
	open my $fh, '<', $path or die "open $path: $!";
	local $/;
	my $text = <$fh>;
	close $fh;
	return $text;
}

1;
