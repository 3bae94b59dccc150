# Copyright (c) pg_schemamig contributors
#
# test/perl/CliTest.pm
#	  What the client's team-workflow TAP tests (test/t/064-079) share: one
#	  node with a fresh database per scenario, a migrations folder, and
#	  cli() that runs the client and checks its exit status, stdout and
#	  stderr (or, with merge => 1, both streams in the order they came).
package CliTest;

use strict;
use warnings;
use Exporter 'import';
use File::Path qw(make_path remove_tree);
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

our @EXPORT = qw(cli_start cli fresh rev sql dir node);

my ($node, $tmp, $dir, $db);
my @client = client_command();

# Starts the node once; returns it.
sub cli_start
{
	my ($name) = @_;
	$node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->start;
	$tmp = PostgreSQL::Test::Utils::tempdir;
	$dir = "$tmp/migrations";
	delete $ENV{DATABASE_URL};
	return $node;
}

sub node { return $node; }
sub dir { return $dir; }

# A fresh database with the extension, and an empty migrations folder.
sub fresh
{
	($db) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION pg_schemamig');
	remove_tree($dir);
	make_path($dir);
	return;
}

sub sql { return $node->safe_psql($db, $_[0]); }

# rev(id, down, message, upgrade, downgrade, file => name, nontx => 1):
# writes a migration file (downgrade undef: irreversible).
sub rev
{
	my ($id, $down, $msg, $up, $downsql, %opt) = @_;
	my $text = "-- revision: $id\n-- down_revision: $down\n";
	$text .= "-- transactional: false\n" if $opt{nontx};
	$text .= "-- irreversible: true\n" unless defined $downsql;
	$text .= "-- message: $msg\n-- +upgrade\n$up\n";
	$text .= "-- +downgrade\n$downsql\n" if defined $downsql;
	write_file("$dir/" . ($opt{file} // "${id}_x.sql"), $text);
	return;
}

# cli([args], exit, stdout, stderr, name, %opt): stdout/stderr are a string
# (exact) or a regexp.  opt: merge => 1 (one stream, compared with stdout),
# env => {K => V}, cwd => DIR, no_dir => 1 (no -D).
sub cli
{
	my ($args, $ret, $out, $err, $name, %opt) = @_;
	my ($stdout, $stderr) = ('', '');
	local %ENV = %ENV;
	$ENV{PGHOST} = $node->host;
	$ENV{PGPORT} = $node->port;
	$ENV{PGDATABASE} = $db;
	$ENV{$_} = $opt{env}{$_} for keys %{ $opt{env} // {} };
	my @cmd = (@client, ($opt{no_dir} ? () : ('-D', $dir)), @$args);
	my %init = $opt{cwd} ? (init => sub { chdir $opt{cwd} or die "chdir: $!" }) : ();
	if ($opt{merge})
	{
		IPC::Run::run(\@cmd, '>', \$stdout, '2>&1', %init);
	}
	else
	{
		IPC::Run::run(\@cmd, '>', \$stdout, '2>', \$stderr, %init);
	}
	is($? >> 8, $ret, "$name: exit status");
	if (ref $out) { like($stdout, $out, "$name: stdout"); }
	else { is($stdout, $out, "$name: stdout"); }
	if (!$opt{merge})
	{
		if (ref $err) { like($stderr, $err, "$name: stderr"); }
		else { is($stderr, $err, "$name: stderr"); }
	}
	return wantarray ? ($stdout, $stderr) : $stdout;
}

1;
