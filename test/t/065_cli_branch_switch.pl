# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 2, end to end with git: a developer
# applies branch A's revision to the shared dev database, switches to branch
# B (A's file is gone), sees the orphan named by upgrade, current and check,
# "downgrade -1" from two heads refuses to pick one, "downgrade --orphans"
# takes A's revision back with the SQL the database stored, and B upgrades.
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

cli_start('cli_branch_switch');
fresh('team');
my $repo = dir() . '/..';
sub git { system('git', '-C', $repo, '-c', 'user.name=t', '-c', 'user.email=t@example.org', @_) == 0 or die "git @_"; }
git('init', '-q', '-b', 'main');

rev('a1', '', 'create tasks', 'CREATE TABLE tasks (id int);', 'DROP TABLE tasks;');
git('add', 'migrations');
git('commit', '-qm', 'base');
git('checkout', '-qb', 'A');
rev('x1', 'a1', 'feature A', 'CREATE TABLE feature_a (id int);', 'DROP TABLE feature_a;');
git('add', 'migrations');
git('commit', '-qm', 'A');
git('checkout', '-q', 'main');
git('checkout', '-qb', 'B');
rev('y1', 'a1', 'feature B', 'CREATE TABLE feature_b (id int);', 'DROP TABLE feature_b;');
git('add', 'migrations');
git('commit', '-qm', 'B');

# ---- on A: apply
git('checkout', '-q', 'A');
cli(['upgrade'], 0, "Running upgrade  -> a1, create tasks\nRunning upgrade a1 -> x1, feature A\n", '', 'A: upgrade');

# ---- switch to B: x1's file is gone
git('checkout', '-q', 'B');
ok(!-e dir() . '/x1_x.sql', 'B has no file for x1');
cli(['upgrade'], 1, '',
	qr/warning: revision x1 is applied here but has no file in \S+ \(an orphan: applied from another branch\?\).*error: revision x1 is applied in this database but has no file in \S+\n.*detail: Probably applied from another git branch.*\n.*hint: Run "pg_schemamig downgrade --orphans" to take it back with the SQL stored in the database, then upgrade again; or run "pg_schemamig upgrade y1" to keep it applied beside this branch\./s,
	'B: plain upgrade names the orphan and says how to go on');
is(sql("SELECT to_regclass('feature_b') IS NULL"), 't', 'nothing of B was applied');
cli(['current'], 0, "x1 (head) (orphan: no file)\n", qr/x1 is applied here but has no file/, 'B: current names the orphan');
cli(['check'], 1, qr/^error: orphan revision: x1 is applied in this database but has no file in \S+ \(applied from another branch\?\); "pg_schemamig downgrade --orphans" takes it back$/m,
	qr//, 'B: check reports the orphan as an error');
cli([ 'check', '--json' ], 1, qr/^\[\{"severity":"error","problem":"orphan revision","detail":"x1 is applied/, qr//,
	'B: check --json');

# keep it for a moment: two heads, and downgrade -1 must not pick one
cli([ 'upgrade', 'y1' ], 0, "Running upgrade a1 -> y1, feature B\n", qr/x1 is applied here/, 'B: upgrade y1 keeps x1');
cli([ 'downgrade', '-1' ], 1, '',
	qr/error: downgrade -1 is ambiguous: 2 heads are applied \(x1, y1\)\n.*hint: Name the line to step back, e\.g\. "pg_schemamig downgrade x1\@-1"; "pg_schemamig downgrade --orphans" takes back/s,
	'downgrade -1 from two heads refuses');
is(sql("SELECT string_agg(revision, ',' ORDER BY revision) FROM schemamig.version"), 'x1,y1', 'nothing reverted');

# ---- downgrade --orphans: with the SQL stored in the database
cli([ 'downgrade', '--orphans' ], 0, "Running downgrade x1 -> a1, feature A\n", qr//, 'downgrade --orphans');
is(sql("SELECT to_regclass('feature_a') IS NULL"), 't', 'the orphan\'s downgrade SQL ran');
is(sql("SELECT to_regclass('feature_b') IS NOT NULL"), 't', 'B\'s revision stays');
cli([ 'downgrade', '--orphans' ], 0, "No orphans: every applied revision has a file in this checkout.\n", qr//,
	'nothing left to take back');
cli(['upgrade'], 0, '', qr/x1 is registered but has no file in \S+; it is never applied/, 'B: upgrade is at the head');
cli(['current'], 0, "y1 (head)\n", qr//, 'B: current');
cli(['check'], 0, qr/^warning: revision without a file: x1 is registered/m, qr//, 'check: x1 is only a stray now');

# ---- and back to A: y1 is the orphan now
git('checkout', '-q', 'A');
cli(['upgrade'], 1, '', qr/error: revision y1 is applied in this database but has no file/, 'A: y1 is the orphan');
cli([ 'downgrade', '--orphans' ], 0, "Running downgrade y1 -> a1, feature B\n", qr//, 'A: take y1 back');
cli(['upgrade'], 0, "Running upgrade a1 -> x1, feature A\n", qr//, 'A: upgrade');
is(sql("SELECT to_regclass('feature_a') IS NOT NULL AND to_regclass('feature_b') IS NULL"), 't', 'A\'s schema');

# an orphan chain (two revisions) goes back children first, in one transaction
rev('x2', 'x1', 'feature A2', 'CREATE TABLE feature_a2 (id int);', 'DROP TABLE feature_a2;');
cli(['upgrade'], 0, "Running upgrade x1 -> x2, feature A2\n", qr//, 'A: one more');
unlink(dir() . '/x2_x.sql');
git('checkout', '-q', 'B');
cli([ 'downgrade', '--orphans' ], 0, "Running downgrade x2 -> x1, feature A2\nRunning downgrade x1 -> a1, feature A\n", qr//,
	'B: the chain goes back children first');
cli(['upgrade'], 0, "Running upgrade a1 -> y1, feature B\n", qr//, 'B: upgrade');
is(sql("SELECT count(*) FROM schemamig.log WHERE direction = 'downgrade'"), '4', 'every step logged');

# an orphan merge (over a revision with a file and an orphan root) goes back too
fresh('merges');
rev('a1', '', 'create tasks', 'CREATE TABLE tasks (id int);', 'DROP TABLE tasks;');
rev('o1', '', 'other root', 'CREATE TABLE other (id int);', 'DROP TABLE other;');
rev('m1', 'a1, o1', 'merge', '', '');
cli([ '-q', 'upgrade' ], 0, '', '', 'a merge of two roots');
unlink(dir() . '/o1_x.sql', dir() . '/m1_x.sql');
cli([ 'downgrade', '--orphans' ], 0, "Running downgrade m1 -> a1, o1, merge\nRunning downgrade o1 -> , other root\n", qr//,
	'the orphan merge and the orphan root go back; a1 stays');
is(sql("SELECT string_agg(revision, ',') FROM schemamig.version"), 'a1', 'a1 stays applied');

done_testing();
