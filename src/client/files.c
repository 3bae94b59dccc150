/*-------------------------------------------------------------------------
 *
 * files.c
 *	  The commands that only touch the migrations folder: init, revision and
 *	  merge.  They never connect to a database (like Alembic's, which read
 *	  the script directory only).
 *
 * src/client/files.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "client.h"

/* Alembic's file-name slug length (truncate_slug_length). */
#define SLUG_LENGTH 40

/* An absolute form of "path" for messages (malloc'd). */
static char *
absolute(const char *path)
{
	char		cwd[PATH_MAX];

	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return pg_strdup(path);
	if (strncmp(path, "./", 2) == 0)
		path += 2;
	return psprintf("%s/%s", cwd, path);
}

/* True when "path" is a folder with entries other than . and .. */
static bool
dir_has_entries(const char *path)
{
	DIR		   *d = opendir(path);
	struct dirent *de;
	bool		found = false;

	if (d == NULL)
		return false;
	while (!found && (de = readdir(d)) != NULL)
		found = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return found;
}

/*
 * init [DIR]: creates the migrations folder and the configuration file that
 * names it.
 */
int
cmd_init(void)
{
	const char *dir = opts.nargs > 0 ? opts.args[0] : opts.directory;
	const char *conf = opts.config ? opts.config : CONFIG_FILE;
	struct stat st;
	char	   *absdir,
			   *absconf;
	FILE	   *f;

	if (opts.nargs > 1)
	{
		pg_log_error("init takes at most one argument (the migrations folder)");
		return EXIT_USAGE;
	}
	absdir = absolute(dir);
	absconf = absolute(conf);
	if (stat(conf, &st) == 0)
	{
		pg_log_error("configuration file %s already exists", absconf);
		free(absdir);
		free(absconf);
		return EXIT_MIGRATION;
	}
	if (stat(dir, &st) == 0)
	{
		if (!S_ISDIR(st.st_mode) || dir_has_entries(dir))
		{
			pg_log_error("directory %s already exists and is not empty", absdir);
			free(absdir);
			free(absconf);
			return EXIT_MIGRATION;
		}
	}
	else
	{
		if (mkdir(dir, 0777) != 0)
		{
			pg_log_error("could not create directory %s: %s", absdir, strerror(errno));
			free(absdir);
			free(absconf);
			return EXIT_MIGRATION;
		}
		log_info("  Creating directory %s ...  done", absdir);
	}
	f = fopen(conf, "wx");
	if (f == NULL)
	{
		pg_log_error("could not create %s: %s", absconf, strerror(errno));
		free(absdir);
		free(absconf);
		return EXIT_MIGRATION;
	}
	fprintf(f,
			"# pg_schemamig configuration, written by \"pg_schemamig init\".\n"
			"# directory: the folder of migration files (<revision>_<slug>.sql),\n"
			"# relative to this file.  The database comes from -d, DATABASE_URL\n"
			"# or the PG* variables.\n"
			"directory = %s\n",
			(opts.config && dir[0] != '/') ? absdir : dir);
	if (fclose(f) != 0)
	{
		pg_log_error("could not write %s: %s", absconf, strerror(errno));
		free(absdir);
		free(absconf);
		return EXIT_MIGRATION;
	}
	log_info("  Generating %s ...  done", absconf);
	log_info("Next: run CREATE EXTENSION pg_schemamig; in the database (once, as a superuser), set DATABASE_URL (or use -d), and write a first revision with: pg_schemamig revision -m \"create tables\"");
	free(absdir);
	free(absconf);
	return EXIT_OK;
}

/* A random 12-hex revision id, as Alembic's uuid4().hex[-12:]. */
char *
new_rev_id(const MigDir *md)
{
	unsigned char bytes[6];
	FILE	   *f;
	int			tries;

	for (tries = 0; tries < 10; tries++)
	{
		char	   *id;

		f = fopen("/dev/urandom", "rb");
		if (f == NULL || fread(bytes, 1, sizeof(bytes), f) != sizeof(bytes))
		{
			if (f)
				fclose(f);
			pg_log_error("could not read /dev/urandom: %s", strerror(errno));
			return NULL;
		}
		fclose(f);
		id = psprintf("%02x%02x%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2],
					   bytes[3], bytes[4], bytes[5]);
		if (migdir_find(md, id) < 0)
			return id;
		free(id);
	}
	pg_log_error("could not generate an unused revision id");
	return NULL;
}

/* A label or revision id already used by the files? */
static bool
name_in_use(const MigDir *md, const char *name)
{
	int			i,
				j;

	if (migdir_find(md, name) >= 0)
		return true;
	for (i = 0; i < md->n; i++)
		for (j = 0; j < md->files[i]->labels.n; j++)
			if (strcmp(md->files[i]->labels.items[j], name) == 0)
				return true;
	return false;
}

/*
 * Writes "rf" as <dir>/<id>_<slug>.sql (never over an existing file) and
 * prints Alembic's "Generating ... done" line.
 */
int
write_revision_file(const MigDir *md, RevFile *rf)
{
	char	   *slug = revfile_slug(rf->message, SLUG_LENGTH);
	char	   *path,
			   *abspath,
			   *text;
	FILE	   *f;
	int			rc = EXIT_OK;

	if (slug == NULL)
	{
		pg_log_error("out of memory");
		return EXIT_MIGRATION;
	}
	path = psprintf("%s/%s_%s.sql", md->path, rf->id, slug);
	abspath = absolute(path);
	text = revfile_format(rf);
	if (text == NULL)
	{
		pg_log_error("out of memory");
		rc = EXIT_MIGRATION;
	}
	else if ((f = fopen(path, "wx")) == NULL)
	{
		pg_log_error("could not create %s: %s", abspath, strerror(errno));
		rc = EXIT_MIGRATION;
	}
	else
	{
		fputs(text, f);
		if (fclose(f) != 0)
		{
			pg_log_error("could not write %s: %s", abspath, strerror(errno));
			rc = EXIT_MIGRATION;
		}
		else
			log_info("  Generating %s ...  done", abspath);
	}
	free(text);
	free(slug);
	free(path);
	free(abspath);
	return rc;
}

/* A message on one line (files keep it in one header line). */
static char *
one_line(const char *msg)
{
	char	   *s = pg_strdup(msg ? msg : "");
	char	   *p;

	for (p = s; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return s;
}

/*
 * revision -m MSG [--head H] [--splice] [--branch-label L] [--depends-on R]
 * [--rev-id ID] [--non-transactional]: a new empty revision on the current
 * head of the files.
 */
int
cmd_revision(void)
{
	MigDir	   *md;
	RevFile		rf;
	int			rc = EXIT_MIGRATION;
	int			i;
	char	   *later_upgrade = NULL;
	char	   *later_downgrade = NULL;

	if (opts.nargs > 0)
	{
		pg_log_error("revision takes no arguments (the message goes in -m)");
		return EXIT_USAGE;
	}
	md = migdir_load(opts.directory, NULL, NULL);
	if (md == NULL)
		return EXIT_MIGRATION;
	if (!migdir_report_bad(md))
	{
		migdir_free(md);
		return EXIT_MIGRATION;
	}
	memset(&rf, 0, sizeof(rf));
	rf.transactional = !opts.non_transactional;
	rf.message = one_line(opts.message);
	rf.upgrade_sql = "";
	rf.downgrade_sql = "";

	if (opts.rev_id)
	{
		if (migdir_find(md, opts.rev_id) >= 0)
		{
			pg_log_error("revision %s already exists (%s)", opts.rev_id,
					  md->files[migdir_find(md, opts.rev_id)]->path);
			goto done;
		}
		rf.id = pg_strdup(opts.rev_id);
	}
	else if ((rf.id = new_rev_id(md)) == NULL)
		goto done;

	/* the parent */
	if (opts.head && strcmp(opts.head, "base") == 0)
		;						/* a new base */
	else if (opts.head)
	{
		int			h = migdir_resolve(md, opts.head, "--head");
		int		   *heads,
					nheads,
					k;
		bool		is_head = false;

		if (h < 0)
			goto done;
		nheads = migdir_heads(md, &heads);
		for (k = 0; k < nheads; k++)
			if (heads[k] == h)
				is_head = true;
		free(heads);
		if (!is_head && !opts.splice)
		{
			pg_log_error("revision %s is not a head revision; use --splice to start a new branch from it",
					  md->files[h]->id);
			goto done;
		}
		list_append(&rf.down, md->files[h]->id);
	}
	else
	{
		int		   *heads;
		int			nheads = migdir_heads(md, &heads);

		if (nheads > 1)
		{
			pg_log_error("multiple heads are present; please specify the head revision on which the new revision should be based (--head), or perform a merge");
			free(heads);
			goto done;
		}
		if (nheads == 1)
			list_append(&rf.down, md->files[heads[0]]->id);
		free(heads);
	}

	for (i = 0; i < opts.branch_labels.n; i++)
	{
		const char *l = opts.branch_labels.items[i];

		if (name_in_use(md, l) || strcmp(l, rf.id) == 0)
		{
			pg_log_error("branch label \"%s\" is already a revision id or branch label", l);
			goto done;
		}
		list_append(&rf.labels, l);
	}
	for (i = 0; i < opts.depends_on.n; i++)
	{
		const char *d = opts.depends_on.items[i];
		int			k;
		bool		is_label = false;
		int			j;

		for (k = 0; k < md->n && !is_label; k++)
			for (j = 0; j < md->files[k]->labels.n; j++)
				if (strcmp(md->files[k]->labels.items[j], d) == 0)
					is_label = true;
		if (is_label)
			list_append(&rf.depends, d);
		else
		{
			k = migdir_resolve(md, d, "--depends-on");
			if (k < 0)
				goto done;
			list_append(&rf.depends, md->files[k]->id);
		}
	}
	if (opts.autogenerate)
	{
		int			steps;

		rc = autogen_sections(md, &rf.upgrade_sql, &rf.downgrade_sql, &steps,
							  &later_upgrade, &later_downgrade);
		if (rc != EXIT_OK)
			goto done;
		if (steps == 0)
		{
			log_info("No changes in schema detected.");
			goto done;
		}
	}
	else if (opts.model || opts.schema_file)
	{
		pg_log_error("--model and --schema need --autogenerate");
		rc = EXIT_USAGE;
		goto done;
	}
	rc = write_revision_file(md, &rf);
	if (rc == EXIT_OK && later_upgrade)
	{
		/*
		 * the VALIDATE CONSTRAINT steps of constraints added NOT VALID to big
		 * tables: a non-transactional revision on the new one, so that each
		 * commits on its own
		 */
		RevFile		later;

		memset(&later, 0, sizeof(later));
		later.transactional = false;
		later.message = psprintf("%s (validate)", rf.message);
		later.upgrade_sql = later_upgrade;
		later.downgrade_sql = later_downgrade;
		list_append(&later.down, rf.id);
		do
		{
			free(later.id);
			later.id = new_rev_id(md);
		} while (later.id && strcmp(later.id, rf.id) == 0);
		rc = later.id ? write_revision_file(md, &later) : EXIT_MIGRATION;
		free(later.id);
		free(later.message);
		revfile_list_free(&later.down);
	}

done:
	autogen_done();
	free(rf.id);
	free(rf.message);
	revfile_list_free(&rf.down);
	revfile_list_free(&rf.labels);
	revfile_list_free(&rf.depends);
	migdir_free(md);
	return rc;
}

/*
 * merge [-m MSG] [--rev-id ID] [REV...]: a revision whose parents are the
 * given revisions (default: every head of the files).
 */
int
cmd_merge(void)
{
	MigDir	   *md;
	RevFile		rf;
	int			rc = EXIT_MIGRATION;
	int			i;

	md = migdir_load(opts.directory, NULL, NULL);
	if (md == NULL)
		return EXIT_MIGRATION;
	if (!migdir_report_bad(md))
	{
		migdir_free(md);
		return EXIT_MIGRATION;
	}
	memset(&rf, 0, sizeof(rf));
	rf.transactional = true;
	rf.message = one_line(opts.message ? opts.message : "merge");
	rf.upgrade_sql = "";
	rf.downgrade_sql = "";

	if (opts.nargs == 0 || (opts.nargs == 1 && strcmp(opts.args[0], "heads") == 0))
	{
		int		   *heads;
		int			nheads = migdir_heads(md, &heads);

		for (i = 0; i < nheads; i++)
			list_append(&rf.down, md->files[heads[i]]->id);
		free(heads);
	}
	else
	{
		for (i = 0; i < opts.nargs; i++)
		{
			int			k = migdir_resolve(md, opts.args[i], "revision");
			int			j;
			bool		dup = false;

			if (k < 0)
				goto done;
			for (j = 0; j < rf.down.n; j++)
				if (strcmp(rf.down.items[j], md->files[k]->id) == 0)
					dup = true;
			if (!dup)
				list_append(&rf.down, md->files[k]->id);
		}
	}
	if (rf.down.n < 2)
	{
		pg_log_error("a merge needs at least two revisions; %s", opts.nargs == 0 ?
				  "the migration files have only one head" : "name two or more");
		goto done;
	}
	if (opts.rev_id)
	{
		if (migdir_find(md, opts.rev_id) >= 0)
		{
			pg_log_error("revision %s already exists", opts.rev_id);
			goto done;
		}
		rf.id = pg_strdup(opts.rev_id);
	}
	else if ((rf.id = new_rev_id(md)) == NULL)
		goto done;
	rc = write_revision_file(md, &rf);

done:
	free(rf.id);
	free(rf.message);
	revfile_list_free(&rf.down);
	migdir_free(md);
	return rc;
}
