/*-------------------------------------------------------------------------
 *
 * cmd_help.c
 *	  "pg_schemamig COMMAND --help" (and "pg_schemamig help COMMAND"): the
 *	  usage of one command, what it does and the options it takes.
 *
 * src/client/cmd_help.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdio.h>
#include <string.h>

#include "client.h"

typedef struct CommandHelp
{
	const char *name;
	const char *usage;
	const char *text;			/* what it does, lines ending in \n */
	const char *options;		/* its own options, lines ending in \n */
} CommandHelp;

#define CONN_OPTS \
	"  -d, --dbname=CONNINFO      database (default: $DATABASE_URL, then PG* variables)\n" \
	"  -D, --directory=DIR        migrations folder\n" \
	"  -c, --config=FILE          configuration file (default: ./pg_schemamig.conf)\n"
#define SYNC_OPTS \
	"      --no-sync              do not register the files first (they are still read)\n"
#define JSON_OPT \
	"      --json                 one JSON value on stdout, for CI\n"
#define SETTING_OPTS \
	"      --lock-timeout=TIME    lock_timeout of each revision (e.g. 2s; also in the config file)\n" \
	"      --statement-timeout=TIME  longest time one revision may run\n" \
	"      --lock-retries=N       retries of a revision that hit the lock timeout\n"

static const CommandHelp helps[] = {
	{"init", "init [DIR]",
		"Creates the migrations folder (default: migrations) and pg_schemamig.conf naming it.\n"
		"Never touches a database.\n",
	"  -c, --config=FILE          the configuration file to write\n"},
	{"revision", "revision -m MSG [--head H] [--splice] [--branch-label L] [--depends-on R]\n"
		"         [--rev-id ID] [--non-transactional]\n"
		"  or: revision --autogenerate -m MSG (--model MODULE | --schema FILE.sql)",
		"Writes a new revision file with empty sections on the single head of the files.\n"
		"Never touches a database.\n",
		"  -m, --message=MSG          the revision's message (also its file name's slug)\n"
		"      --head=H               the parent: a head, label@head, or base for a new root\n"
		"      --splice               allow --head to name a revision that is not a head\n"
		"      --branch-label=L       a branch label for the new revision (repeatable)\n"
		"      --depends-on=R         a revision or label it depends on (repeatable)\n"
		"      --rev-id=ID            the revision id (default: 12 random hex digits)\n"
	"      --non-transactional    for CREATE INDEX CONCURRENTLY and the like\n"
	"      --autogenerate         write the difference between the database (at the heads) and\n"
	"                             the desired schema, from schemamig.diff(), instead\n"
	"      --model=MODULE         the desired schema: MODULE's SQLAlchemy/SQLModel metadata\n"
	"      --schema=FILE          the desired schema: an SQL file\n" CONN_OPTS},
	{"merge", "merge [-m MSG] [--rev-id ID] [REV...]",
		"Writes a merge revision over the given revisions (default: every head of the files).\n",
		"  -m, --message=MSG          the message (default: merge)\n"
	"      --rev-id=ID            the revision id (default: 12 random hex digits)\n"},
	{"sync", "sync [--prune]",
		"Registers the migration files in the database (one transaction, parents first).\n"
		"A changed file whose revision is applied is refused; only its downgrade section may\n"
		"change (the old text is kept in schemamig.revision_amendment).\n",
	CONN_OPTS "      --prune                remove registered, unapplied revisions that have no file\n"},
	{"upgrade", "upgrade [TARGET] [--sql | --dry-run | --each]",
		"Applies the revisions up to TARGET (default head), all in one transaction, printing each\n"
		"step as it starts.  Only revisions with a file in this checkout are applied; while\n"
		"revisions without a file are applied (orphans, from another branch), a plain upgrade stops\n"
		"and says how to go on.\n",
		CONN_OPTS SYNC_OPTS
		"      --sql                  print the offline script instead\n"
		"      --dry-run              run and roll back, showing locks, rewrites and rows\n"
	"      --each                 one transaction per revision, lock timeouts retried\n" SETTING_OPTS},
	{"downgrade", "downgrade TARGET [--sql | --dry-run | --each]\n  or: downgrade --orphans",
		"Reverts revisions down to TARGET (base, -1, a revision, label@-1 ...).  \"-N\" from\n"
		"several applied heads is refused: name the line (REV@-1).  --orphans takes back every\n"
		"applied revision that has no file in this checkout, with the SQL the database stored.\n",
		CONN_OPTS SYNC_OPTS
		"      --orphans              take back the revisions applied here that have no file\n"
		"      --sql                  print the offline script instead\n"
		"      --dry-run              run and roll back, showing locks, rewrites and rows\n"
	"      --each                 one transaction per revision, lock timeouts retried\n" SETTING_OPTS},
	{"stamp", "stamp TARGET... [--purge]",
		"Sets the version table without running any SQL.\n",
	CONN_OPTS SYNC_OPTS "      --purge                empty the version table first\n"},
	{"current", "current [-v] [--json]",
		"The applied revisions (the version table); an orphan is marked \"(orphan: no file)\".\n",
	CONN_OPTS SYNC_OPTS "  -v, --verbose              the full entry of each\n" JSON_OPT},
	{"heads", "heads [-v] [--json]", "The head revisions, with their branch labels.\n",
	CONN_OPTS SYNC_OPTS "  -v, --verbose              the full entry of each\n" JSON_OPT},
	{"branches", "branches [-v]", "Each branch point and the revisions it splits into.\n",
	CONN_OPTS SYNC_OPTS "  -v, --verbose              the full entry of each\n"},
	{"history", "history [-r RANGE] [-i] [-v] [--json]",
		"The revisions, newest first, in Alembic's format.\n",
		CONN_OPTS SYNC_OPTS
		"  -r, --rev-range=RANGE      e.g. base:head, -3:, abc:\n"
		"  -i, --indicate-current     mark the current heads (current) and the other applied ones (applied)\n"
	"  -v, --verbose              the full entry of each\n" JSON_OPT},
	{"show", "show REV [--json]", "One revision in detail.\n", CONN_OPTS SYNC_OPTS JSON_OPT},
	{"check", "check [--json] [--fail-on warning|error]\n  or: check (--model MODULE | --schema FILE.sql)",
		"Problems of the files against the database (unreadable files, orphans, revisions without a\n"
		"file, unsynced changes) and schemamig.check()'s: graph problems, changed checksums, drift\n"
		"and a live schema that differs from its snapshot, naming what differs.  Exit 1 on an error.\n",
		CONN_OPTS SYNC_OPTS JSON_OPT
	"      --fail-on=warning      exit 1 on warnings too\n"
	"      --model=MODULE         instead: does the database have MODULE's schema (alembic check)?\n"
	"      --schema=FILE          instead: does the database have the schema of an SQL file?\n"},
	{"import-alembic", "import-alembic DIR [-d CONNINFO]",
		"Writes one migration file per revision of the Alembic project in DIR (which holds\n"
		"alembic.ini), with Alembic's ids, parents, labels, depends_on, messages and file names and\n"
		"each revision's SQL from Alembic's offline mode (python3 or $PYTHON, with its Alembic).\n"
		"With a database named, registers the files and stamps exactly its alembic_version rows.\n",
	CONN_OPTS},
	{"baseline", "baseline [-m MSG] [--rev-id ID]",
		"Writes a base revision whose upgrade creates the live schema (public) as it is and whose\n"
		"downgrade drops it, registers it and stamps it applied; nothing else is touched.\n",
		"  -m, --message=MSG          the message (default: baseline)\n"
	"      --rev-id=ID            the revision id (default: 12 random hex digits)\n" CONN_OPTS},
	{"lint", "lint FILE... [--json] [--fail-on warning|error]",
		"Reviews migration SQL (schemamig.lint): each migration file's sections, a downgrade knowing\n"
		"what its own upgrade created, or a plain SQL file.  Lines file:line: severity: rule: message.\n",
	CONN_OPTS JSON_OPT "      --fail-on=warning      exit 1 on warnings too (default: on errors)\n"},
	{"verify", "verify [TARGET] [--json]",
		"Proves the revisions up to TARGET reversible: upgrade, downgrade, upgrade again, rolled back.\n",
	CONN_OPTS SYNC_OPTS JSON_OPT},
	{"review", "review REV [--json]", "Lint of both directions of a revision, with data checks.\n",
	CONN_OPTS SYNC_OPTS JSON_OPT},
	{"drift", "drift [--all] [--json]\n  or: drift --ack",
		"DDL done outside pg_schemamig (schemamig.drift), one block per event; exit 1 if there is\n"
		"unacknowledged drift.  --ack acknowledges it and records the live schema as the expected\n"
		"one (a snapshot).\n",
		CONN_OPTS "      --all                  acknowledged events too\n"
	"      --ack                  acknowledge the drift and take a snapshot\n" JSON_OPT},
	{"snapshot", "snapshot",
		"Records the live schema as the expected schema of the current heads; check compares\n"
		"against it.\n",
	CONN_OPTS},
	{"backfill", "backfill TABLE --set SET [--where COND] [--batch-size N] [--pause INTERVAL]",
		"UPDATE TABLE SET SET [WHERE COND] in batches of N primary keys (default 10000), one\n"
		"transaction each (CALL schemamig.backfill), printing each batch as it commits.  Each batch\n"
		"runs under the lock timeout, retried with backoff.  Run again after an interruption, it\n"
		"continues after the last finished batch; a finished job does nothing and says so.\n",
		CONN_OPTS
		"      --set=SET              the SET list, e.g. \"total = price * qty\" (required)\n"
		"      --where=COND           only rows where COND holds\n"
		"      --batch-size=N         primary keys per batch (default 10000)\n"
		"      --pause=INTERVAL       sleep between batches, e.g. 100ms\n"
		"      --lock-timeout=TIME    lock_timeout of each batch (e.g. 2s; also in the config file)\n"
		"      --lock-retries=N       retries of a batch that hit the lock timeout\n"},
	{NULL, NULL, NULL, NULL}
};

/*
 * Prints the help of "command"; returns false when there is no such
 * command.
 */
bool
command_help(const char *command)
{
	const CommandHelp *h;

	for (h = helps; h->name; h++)
		if (strcmp(h->name, command) == 0)
			break;
	if (h->name == NULL)
		return false;
	printf("Usage:\n  pg_schemamig %s\n\n%s\nOptions:\n%s", h->usage, h->text, h->options);
	printf("  -v, --verbose / -q, --quiet  more or less output\n"
		   "  -h, --help                 show this help and exit\n");
	return true;
}
