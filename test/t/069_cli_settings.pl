# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 7: lock_timeout, statement_timeout and
# lock_retries in pg_schemamig.conf and as flags (a flag wins), applied to
# each revision; a bad value is a usage error (exit 2).
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

my $node = cli_start('cli_settings');
fresh('settings');
my $conf = dir() . '/../pg_schemamig.conf';
SchemamigTest::write_file($conf, "directory = migrations\nlock_timeout = 2s\nstatement_timeout = 1min\nlock_retries = 5\n");
rev('s1', '', 'show settings',
	"DO \$\$ BEGIN RAISE WARNING 'lock_timeout=% statement_timeout=% lock_retries=%', current_setting('lock_timeout'), current_setting('schemamig.statement_timeout'), current_setting('schemamig.lock_retries'); END \$\$;",
	'SELECT 1;');
cli([ '-c', $conf, 'upgrade' ], 0, "Running upgrade  -> s1, show settings\n",
	qr/warning: lock_timeout=2s statement_timeout=1min lock_retries=5/, 'settings from pg_schemamig.conf');
cli([ '-c', $conf, 'downgrade', 'base', '-q' ], 0, '', '', 'back');
cli([ '-c', $conf, '--lock-timeout', '300ms', '--lock-retries=0', '--statement-timeout=10s', 'upgrade' ], 0,
	"Running upgrade  -> s1, show settings\n",
	qr/warning: lock_timeout=300ms statement_timeout=10s lock_retries=0/, 'flags win over the file');
cli([ '--lock-timeout=soon', 'current' ], 2, '',
	qr/error: --lock-timeout: invalid value "soon" for lock_timeout \(a whole number with an optional unit: ms, s, min, h, d\)/,
	'a bad flag value is a usage error');
SchemamigTest::write_file($conf, "lock_retries = many\n");
cli([ '-c', $conf, 'current' ], 2, '', qr/error: \S+pg_schemamig\.conf:1: invalid value "many" for lock_retries/,
	'a bad value in the file is a usage error');
SchemamigTest::write_file($conf, "colour = blue\n");
cli([ '-c', $conf, 'current' ], 2, '',
	qr/unknown setting "colour" \(known: directory, lock_timeout, statement_timeout, lock_retries\)/,
	'unknown settings are still refused');

# the lock timeout is applied: a held lock fails the upgrade fast
rev('s2', 's1', 'alter busy', 'ALTER TABLE busy ADD COLUMN x int;', 'ALTER TABLE busy DROP COLUMN x;');
sql('CREATE TABLE busy (id int)');
my $holder = $node->background_psql('settings');
$holder->query_safe('BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE;');
cli([ '--lock-timeout=100ms', '--lock-retries=0', '-q', 'upgrade' ], 1, '',
	qr/upgrade failed: revision s2 could not get a lock on relation public\.busy within 100 ms.*\(SQLSTATE 55P03\)/, 'lock_timeout holds');
$holder->query_safe('COMMIT;');
$holder->quit;

done_testing();
