/*-------------------------------------------------------------------------
 *
 * main.c
 *	  pg_schemamig command-line client: option parsing, the configuration
 *	  file, messages and small utilities; commands live in commands.c.
 *
 *	  pg_schemamig [OPTION]... COMMAND [ARG]...
 *
 * Options may come before or after the command.  Arguments that look like
 * negative numbers ("downgrade -1") are arguments, not options, as in
 * Alembic.
 *
 * src/client/main.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

Options		opts;

static const char *progname = "pg_schemamig";

/* messages on stderr come after what stdout already has */
static void
flush_stdout(void)
{
	fflush(stdout);
}


static void
usage(void)
{
	printf("%s manages version-controlled schema migrations with the pg_schemamig extension.\n\n", progname);
	printf("Usage:\n  %s [OPTION]... COMMAND [ARG]...\n\n", progname);
	printf("Commands (as in Alembic):\n"
		   "  init [DIR]                 create a migrations folder and " CONFIG_FILE "\n"
		   "  revision -m MSG            write a new, empty revision file on the current head\n"
		   "        [--head H] [--splice] [--branch-label L] [--depends-on R] [--rev-id ID]\n"
		   "        [--non-transactional]\n"
		   "  revision --autogenerate -m MSG (--schema FILE.sql | --model MODULE)\n"
		   "                             write the revision that takes the database to the desired schema\n"
		   "  merge [-m MSG] [--rev-id ID] [REV...]  write a merge revision (default: all heads)\n"
		   "  sync [--prune]             register the files in the database\n"
		   "  upgrade [TARGET]           apply revisions up to TARGET (default head)\n"
		   "        [--sql | --dry-run | --each]\n"
		   "  downgrade TARGET           revert revisions down to TARGET (e.g. base, -1, REV@-1)\n"
		   "        [--sql | --dry-run | --each]\n"
		   "  downgrade --orphans        take back applied revisions that have no file here\n"
		   "  stamp TARGET... [--purge]  set the version table without running SQL\n"
		   "  current                    the applied revisions\n"
		   "  heads                      the head revisions\n"
		   "  branches                   the branch points\n"
		   "  history [-r RANGE] [-i]    revisions, newest first\n"
		   "  show REV                   one revision in detail\n"
		   "  check [--fail-on LEVEL]    files against the database, graph, checksum and drift problems\n"
		   "  check (--schema FILE.sql | --model MODULE)\n"
		   "                             does the database have the desired schema (alembic check)\n"
		   "  import-alembic DIR         migration files from an Alembic project (with -d: adopt its database)\n"
		   "  baseline -m MSG            a first revision that creates the live schema, stamped applied\n"
		   "  lint FILE... [--fail-on LEVEL]  review migration SQL (schemamig.lint)\n"
		   "  verify [TARGET]            prove revisions reversible (schemamig.verify)\n"
		   "  review REV                 lint and data checks on the live rows (schemamig.review)\n"
		   "  drift [--all] | --ack      DDL done outside pg_schemamig; --ack accepts it\n"
		   "  snapshot                   record the live schema as the expected one\n"
		   "  backfill TABLE --set SET   UPDATE TABLE in batches of primary keys, one commit each, resumable\n"
		   "        [--where COND] [--batch-size N] [--pause INTERVAL]\n\n"
		   "\"%s COMMAND --help\" shows the options of one command.\n\n", progname);
	printf("Options:\n"
		   "  -d, --dbname=CONNINFO      database to use (default: $DATABASE_URL, then PG* variables)\n"
		   "  -D, --directory=DIR        migrations folder (default: from " CONFIG_FILE ", else migrations)\n"
		   "  -c, --config=FILE          configuration file (default: ./" CONFIG_FILE ")\n"
		   "  -m, --message=MSG          revision message\n"
		   "  -r, --rev-range=RANGE      history range, e.g. base:head, -3:, abc:\n"
		   "  -i, --indicate-current     history: mark the applied revisions\n"
		   "      --sql                  print the SQL script instead of running it (from the files\n"
		   "                             alone, no database; without FROM:TO an upgrade starts at base)\n"
		   "      --offline              history, heads, branches, show: from the files alone\n"
		   "      --autogenerate         revision: write the difference to the desired schema\n"
		   "      --model=MODULE         desired schema: SQLAlchemy/SQLModel metadata of MODULE (PYTHONPATH)\n"
		   "      --schema=FILE          desired schema: an SQL file\n"
		   "      --no-sync              do not register the files first (they are still read)\n"
		   "      --dry-run              upgrade/downgrade: run and roll back, show locks, rewrites, rows\n"
		   "      --each                 upgrade/downgrade: one transaction per revision, lock retries\n"
		   "      --orphans              downgrade: the applied revisions without a file\n"
		   "      --json                 current, heads, history, show, check, drift, lint, verify,\n"
		   "                             review, --dry-run: one JSON value\n"
		   "      --fail-on=LEVEL        check, lint: exit 1 on findings of LEVEL (warning or error)\n"
		   "      --ack                  drift: acknowledge the drift and take a snapshot\n"
		   "      --lock-timeout=TIME    lock_timeout of each revision (also in " CONFIG_FILE ")\n"
		   "      --statement-timeout=TIME  longest time one revision may run\n"
		   "      --lock-retries=N       retries of a revision that hit the lock timeout\n"
		   "  -v, --verbose              more output\n"
		   "  -q, --quiet                no progress lines (answers, errors and warnings still print)\n"
		   "  -V, --version              print the version and exit\n"
		   "  -h, --help                 show this help (after a command: its help) and exit\n\n"
		   "Exit status: 0 success, 1 migration or database error, 2 usage error.\n");
}

/* Option table: long name, short letter (0 = none), takes an argument. */
typedef struct OptDef
{
	const char *name;
	char		letter;
	bool		arg;
} OptDef;

static const OptDef optdefs[] = {
	{"dbname", 'd', true}, {"directory", 'D', true}, {"config", 'c', true},
	{"message", 'm', true}, {"rev-range", 'r', true}, {"head", 0, true},
	{"rev-id", 0, true}, {"branch-label", 0, true}, {"depends-on", 0, true},
	{"verbose", 'v', false}, {"quiet", 'q', false}, {"no-sync", 0, false},
	{"sql", 0, false}, {"offline", 0, false}, {"purge", 0, false}, {"prune", 0, false},
	{"splice", 0, false}, {"all", 0, false}, {"indicate-current", 'i', false},
	{"non-transactional", 0, false}, {"version", 'V', false}, {"help", 'h', false},
	{"autogenerate", 0, false}, {"model", 0, true}, {"schema", 0, true},
	{"dry-run", 0, false}, {"json", 0, false},
	{"each", 0, false}, {"orphans", 0, false}, {"fail-on", 0, true}, {"ack", 0, false},
	{"lock-timeout", 0, true}, {"statement-timeout", 0, true}, {"lock-retries", 0, true},
	{"set", 0, true}, {"where", 0, true}, {"batch-size", 0, true}, {"pause", 0, true},
	{NULL, 0, false}
};

/* Applies one option; returns false (after a message) on a bad value. */
static bool
apply_option(const OptDef *d, const char *val)
{
	const char *n = d->name;

	if (strcmp(n, "dbname") == 0)
		opts.dbconn = val;
	else if (strcmp(n, "directory") == 0)
		opts.directory = val;
	else if (strcmp(n, "config") == 0)
		opts.config = val;
	else if (strcmp(n, "message") == 0)
		opts.message = val;
	else if (strcmp(n, "rev-range") == 0)
		opts.range = val;
	else if (strcmp(n, "head") == 0)
		opts.head = val;
	else if (strcmp(n, "rev-id") == 0)
	{
		if (!sm_valid_name(val))
		{
			pg_log_error("invalid revision id \"%s\" (allowed: letters, digits and _, 1 to %d characters)",
					  val, REVFILE_MAX_ID_LEN);
			return false;
		}
		opts.rev_id = val;
	}
	else if (strcmp(n, "branch-label") == 0)
		list_append(&opts.branch_labels, val);
	else if (strcmp(n, "depends-on") == 0)
		list_append(&opts.depends_on, val);
	else if (strcmp(n, "verbose") == 0)
		opts.verbose = true;
	else if (strcmp(n, "quiet") == 0)
		opts.quiet = true;
	else if (strcmp(n, "no-sync") == 0)
		opts.no_sync = true;
	else if (strcmp(n, "sql") == 0)
		opts.sql = true;
	else if (strcmp(n, "offline") == 0)
		opts.offline = true;
	else if (strcmp(n, "purge") == 0)
		opts.purge = true;
	else if (strcmp(n, "prune") == 0)
		opts.prune = true;
	else if (strcmp(n, "splice") == 0)
		opts.splice = true;
	else if (strcmp(n, "all") == 0)
		opts.all = true;
	else if (strcmp(n, "indicate-current") == 0)
		opts.indicate_current = true;
	else if (strcmp(n, "non-transactional") == 0)
		opts.non_transactional = true;
	else if (strcmp(n, "autogenerate") == 0)
		opts.autogenerate = true;
	else if (strcmp(n, "model") == 0)
		opts.model = val;
	else if (strcmp(n, "schema") == 0)
		opts.schema_file = val;
	else if (strcmp(n, "each") == 0)
		opts.each = true;
	else if (strcmp(n, "ack") == 0)
		opts.ack = true;
	else if (strcmp(n, "orphans") == 0)
		opts.orphans = true;
	else if (strcmp(n, "fail-on") == 0)
	{
		if (strcmp(val, "warning") != 0 && strcmp(val, "error") != 0)
		{
			pg_log_error("invalid value \"%s\" for --fail-on (warning or error)", val);
			return false;
		}
		opts.fail_on = val;
	}
	else if (strcmp(n, "lock-timeout") == 0 || strcmp(n, "statement-timeout") == 0 ||
			 strcmp(n, "lock-retries") == 0)
	{
		char	   *key = pg_strdup(n);
		char	   *flag = psprintf("--%s", n);
		char	   *p;
		int			r;

		for (p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		r = settings_set(key, val, true, flag);
		free(key);
		free(flag);
		if (r < 0)
			return false;
	}
	else if (strcmp(n, "dry-run") == 0)
		opts.dry_run = true;
	else if (strcmp(n, "json") == 0)
		opts.json = true;
	else if (strcmp(n, "set") == 0)
		opts.set_clause = val;
	else if (strcmp(n, "where") == 0)
		opts.where_clause = val;
	else if (strcmp(n, "batch-size") == 0)
		opts.batch_size = val;
	else if (strcmp(n, "pause") == 0)
		opts.pause = val;
	else if (strcmp(n, "version") == 0)
	{
		printf("%s (pg_schemamig) %s\n", progname, PG_SCHEMAMIG_VERSION);
		exit(EXIT_OK);
	}
	else if (strcmp(n, "help") == 0)
		opts.help = true;		/* after parsing: the command's own help */
	return true;
}

/* True for "-5" style arguments (Alembic's relative targets). */
static bool
is_negative_number(const char *a)
{
	if (a[0] != '-' || a[1] == '\0')
		return false;
	for (a++; *a; a++)
		if (!isdigit((unsigned char) *a))
			return false;
	return true;
}

static bool
parse_args(int argc, char **argv)
{
	int			i;
	bool		only_args = false;

	opts.args = pg_malloc(sizeof(char *) * argc);
	for (i = 1; i < argc; i++)
	{
		const char *a = argv[i];
		const OptDef *d = NULL;
		const char *val = NULL;

		if (only_args || a[0] != '-' || a[1] == '\0' || is_negative_number(a))
		{
			if (opts.command == NULL)
				opts.command = a;
			else
				opts.args[opts.nargs++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0)
		{
			only_args = true;
			continue;
		}
		if (a[1] == '-')
		{
			const char *eq = strchr(a + 2, '=');
			size_t		len = eq ? (size_t) (eq - (a + 2)) : strlen(a + 2);

			for (d = optdefs; d->name; d++)
				if (strlen(d->name) == len && strncmp(d->name, a + 2, len) == 0)
					break;
			if (d->name == NULL)
			{
				pg_log_error("unrecognized option \"%s\"", a);
				return false;
			}
			if (d->arg)
			{
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
				{
					pg_log_error("option \"--%s\" requires a value", d->name);
					return false;
				}
			}
			else if (eq)
			{
				pg_log_error("option \"--%s\" takes no value", d->name);
				return false;
			}
			if (!apply_option(d, val))
				return false;
			continue;
		}
		/* one or more short options: -vq, -dCONNINFO, -d CONNINFO */
		for (a++; *a; a++)
		{
			for (d = optdefs; d->name; d++)
				if (d->letter == *a)
					break;
			if (d->name == NULL)
			{
				pg_log_error("invalid option \"-%c\"", *a);
				return false;
			}
			if (d->arg)
			{
				if (a[1] != '\0')
					val = a + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
				{
					pg_log_error("option \"-%c\" requires a value", *a);
					return false;
				}
				if (!apply_option(d, val))
					return false;
				break;
			}
			if (!apply_option(d, NULL))
				return false;
		}
	}
	return true;
}

/*
 * Reads the configuration file ("key = value" lines, '#' comments).  The
 * only key is "directory", relative to the file's folder.  A missing default
 * file is not an error; a missing -c file is.
 */
static int
read_config(void)
{
	const char *path = opts.config ? opts.config : CONFIG_FILE;
	FILE	   *f = fopen(path, "r");
	char		line[4096];
	int			lineno = 0;

	if (f == NULL)
	{
		if (opts.config == NULL && errno == ENOENT)
			return EXIT_OK;
		pg_log_error("could not open configuration file \"%s\": %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	while (fgets(line, sizeof(line), f))
	{
		char	   *s = line,
				   *e,
				   *eq,
				   *k_end,
				   *v;

		lineno++;
		while (isspace((unsigned char) *s))
			s++;
		if (*s == '#' || *s == '\0')
			continue;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char) e[-1]))
			*--e = '\0';
		eq = strchr(s, '=');
		if (eq == NULL)
		{
			pg_log_error("%s:%d: expected \"key = value\"", path, lineno);
			fclose(f);
			return EXIT_USAGE;
		}
		k_end = eq;
		while (k_end > s && isspace((unsigned char) k_end[-1]))
			k_end--;
		*k_end = '\0';
		v = eq + 1;
		while (isspace((unsigned char) *v))
			v++;
		if (strcmp(s, "directory") == 0)
		{
			if (*v == '\0')
			{
				pg_log_error("%s:%d: \"directory\" is empty", path, lineno);
				fclose(f);
				return EXIT_USAGE;
			}
			if (opts.directory == NULL)
			{
				const char *slash = strrchr(path, '/');

				if (v[0] == '/' || slash == NULL)
					opts.directory = pg_strdup(v);
				else
					opts.directory = psprintf("%.*s/%s", (int) (slash - path), path, v);
			}
		}
		else
		{
			char	   *where = psprintf("%s:%d", path, lineno);
			int			r = settings_set(s, v, false, where);

			free(where);
			if (r <= 0)
			{
				if (r == 0)
					pg_log_error("%s:%d: unknown setting \"%s\" (known: directory, %s)",
							  path, lineno, s, settings_names());
				fclose(f);
				return EXIT_USAGE;
			}
		}
	}
	fclose(f);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	int			rc;

	pg_logging_init(argv[0]);
	pg_logging_set_pre_callback(flush_stdout);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!parse_args(argc, argv))
	{
		fprintf(stderr, "Try \"%s --help\" for more information.\n", progname);
		return EXIT_USAGE;
	}
	if (opts.help || (opts.command && strcmp(opts.command, "help") == 0))
	{
		const char *topic = opts.command && strcmp(opts.command, "help") != 0 ? opts.command :
			opts.nargs > 0 ? opts.args[0] : NULL;

		if (topic == NULL)
			usage();
		else if (!command_help(topic))
		{
			pg_log_error("unknown command \"%s\"", topic);
			fprintf(stderr, "Try \"%s --help\" for more information.\n", progname);
			return EXIT_USAGE;
		}
		return EXIT_OK;
	}
	if (opts.command == NULL)
	{
		pg_log_error("no command given");
		fprintf(stderr, "Try \"%s --help\" for more information.\n", progname);
		return EXIT_USAGE;
	}
	if (opts.verbose && opts.quiet)
	{
		pg_log_error("--verbose and --quiet cannot be used together");
		return EXIT_USAGE;
	}
	if (strcmp(opts.command, "init") != 0)
	{
		rc = read_config();
		if (rc != EXIT_OK)
			return rc;
	}
	if (opts.directory == NULL)
		opts.directory = DEFAULT_DIRECTORY;

	if (strcmp(opts.command, "init") == 0)
		rc = cmd_init();
	else if (strcmp(opts.command, "revision") == 0)
		rc = cmd_revision();
	else if (strcmp(opts.command, "merge") == 0)
		rc = cmd_merge();
	else if (strcmp(opts.command, "import-alembic") == 0)
		rc = cmd_import_alembic();
	else if (strcmp(opts.command, "baseline") == 0)
		rc = cmd_baseline();
	else if (strcmp(opts.command, "check") == 0 && (opts.model || opts.schema_file))
		rc = cmd_check_desired();
	else if (strcmp(opts.command, "help") == 0)
	{
		usage();
		rc = EXIT_OK;
	}
	else
		rc = cmd_db();
	fflush(stdout);
	return rc;
}
