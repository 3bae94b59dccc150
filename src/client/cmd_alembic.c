/*-------------------------------------------------------------------------
 *
 * cmd_alembic.c
 *	  import-alembic DIR: migration files from an existing Alembic project,
 *	  and (with a database named) adopting a database Alembic migrated.
 *
 * The project is read by sm_alembic.py with the user's own Python and
 * Alembic: ids, parents, branch labels, depends_on, messages and file names
 * from Alembic's script directory, each revision's SQL from Alembic's
 * offline mode (one revision and direction at a time, Alembic's version
 * table and BEGIN/COMMIT left out).  Each revision becomes one file,
 * <alembic file name>.sql, in the migrations folder.  A downgrade Alembic
 * cannot render (it raises, or renders nothing for a revision whose upgrade
 * does something) makes the revision irreversible; an upgrade it cannot
 * render (e.g. Python that reads rows: offline mode has no rows) is not
 * imported, nor are the revisions above it, and the import fails.  Files
 * that exist with the same text are left alone, so running it again
 * changes nothing.
 *
 * Adopting: with -d (or DATABASE_URL), after writing the files, the files
 * are registered and, when the database has Alembic's version table (the
 * one env.py configures, alembic_version by default, found through the
 * search_path unless env.py names its schema) and
 * pg_schemamig's version table is still empty, schemamig.version is
 * stamped with exactly alembic_version's rows (no revision SQL runs; the
 * log shows the stamp).  alembic_version is then retired: it is left in
 * place as it was and pg_schemamig never reads or writes it again.
 *
 * src/client/cmd_alembic.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client.h"

/* One revision as sm_alembic.py reports it. */
typedef struct AlembicRev
{
	char	   *id;
	char	   *file;			/* file name without .py */
	char	   *down;			/* comma lists */
	char	   *labels;
	char	   *depends;
	char	   *message;
	char	   *upgrade;
	char	   *downgrade;
	char	   *upgrade_error;
	char	   *downgrade_error;
	bool		transactional;
	char	   *version_table;	/* the last record: env.py's version table */
	char	   *version_schema;
} AlembicRev;

static void
free_rev(AlembicRev *r)
{
	free(r->id);
	free(r->file);
	free(r->down);
	free(r->labels);
	free(r->depends);
	free(r->message);
	free(r->upgrade);
	free(r->downgrade);
	free(r->upgrade_error);
	free(r->downgrade_error);
	free(r->version_table);
	free(r->version_schema);
	memset(r, 0, sizeof(*r));
}

/*
 * Reads the next field "KEY LEN\n<LEN bytes>\n" at *pos of buf; sets *key
 * (malloc'd) and *value (malloc'd, NULL for the "end" line).  Returns false
 * at the end of the buffer or on a malformed field (*key NULL then).
 */
static bool
next_field(const char *buf, size_t len, size_t *pos, char **key, char **value)
{
	const char *p = buf + *pos;
	const char *nl = memchr(p, '\n', len - *pos);
	const char *sp;
	long		n;
	char	   *end;

	*key = *value = NULL;
	if (*pos >= len || nl == NULL)
		return false;
	if (nl - p == 3 && strncmp(p, "end", 3) == 0)
	{
		*key = pg_strdup("end");
		*pos = nl + 1 - buf;
		return true;
	}
	sp = memchr(p, ' ', nl - p);
	if (sp == NULL)
		return false;
	n = strtol(sp + 1, &end, 10);
	if (end != nl || n < 0 || (size_t) (nl + 1 - buf) + n + 1 > len || nl[1 + n] != '\n')
		return false;
	*key = psprintf("%.*s", (int) (sp - p), p);
	*value = psprintf("%.*s", (int) n, nl + 1);
	*pos = (nl + 1 - buf) + n + 1;
	return true;
}

/* Parses the helper's output into revs (parents first); false if garbled. */
static bool
parse_revisions(const char *buf, size_t len, AlembicRev **revs, int *nrevs)
{
	size_t		pos = 0;
	int			n = 0;
	AlembicRev *r = NULL;
	AlembicRev	cur;
	char	   *key,
			   *val;

	memset(&cur, 0, sizeof(cur));
	cur.transactional = true;
	while (pos < len)
	{
		if (!next_field(buf, len, &pos, &key, &val))
		{
			free(key);
			free_rev(&cur);
			*revs = r;
			*nrevs = n;
			return false;
		}
		if (strcmp(key, "end") == 0)
		{
			r = pg_realloc(r, sizeof(AlembicRev) * (n + 1));
			r[n++] = cur;
			memset(&cur, 0, sizeof(cur));
			cur.transactional = true;
		}
#define FIELD(name, member) else if (strcmp(key, name) == 0) { free(cur.member); cur.member = val; val = NULL; }
		FIELD("revision", id)
			FIELD("file", file)
			FIELD("down", down)
			FIELD("labels", labels)
			FIELD("depends", depends)
			FIELD("message", message)
			FIELD("upgrade", upgrade)
			FIELD("downgrade", downgrade)
			FIELD("upgrade-error", upgrade_error)
			FIELD("downgrade-error", downgrade_error)
			FIELD("version-table", version_table)
			FIELD("version-table-schema", version_schema)
#undef FIELD
			else if (strcmp(key, "transactional") == 0)
			cur.transactional = strcmp(val, "false") != 0;
		free(key);
		free(val);
	}
	free_rev(&cur);
	*revs = r;
	*nrevs = n;
	return true;
}

/* "a,b" -> list (appended to l). */
static void
split_list(RevFileList *l, const char *s)
{
	const char *p = s;

	while (s != NULL && *p)
	{
		const char *c = strchr(p, ',');
		size_t		n = c ? (size_t) (c - p) : strlen(p);
		char	   *item = psprintf("%.*s", (int) n, p);

		list_append(l, item);
		free(item);
		p += n;
		if (*p == ',')
			p++;
	}
}

/* Whether the comma list "s" has an item in the list "failed". */
static const char *
mentions_failed(const char *s, const RevFileList *failed)
{
	RevFileList l = {0, NULL};
	int			i,
				j;
	const char *hit = NULL;

	split_list(&l, s);
	for (i = 0; i < l.n && !hit; i++)
		for (j = 0; j < failed->n && !hit; j++)
			if (strcmp(l.items[i], failed->items[j]) == 0)
				hit = failed->items[j];
	revfile_list_free(&l);
	return hit;
}

/*
 * Writes one revision's file.  Returns 1 when written, 0 when an identical
 * file was there already, -1 on a problem (reported).
 */
static int
write_import(const AlembicRev *a, const char *text)
{
	char	   *path = psprintf("%s/%s.sql", opts.directory, a->file);
	char	   *old = read_whole_file(path);
	FILE	   *f;
	int			r = 1;

	if (old != NULL)
	{
		r = strcmp(old, text) == 0 ? 0 : -1;
		if (r < 0)
			pg_log_error("could not import revision %s: %s exists with other content (not overwritten)",
					  a->id, path);
		free(old);
		free(path);
		return r;
	}
	f = fopen(path, "wx");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
	{
		pg_log_error("could not write %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	log_info("  Generating %s ...  done", path);
	free(path);
	return 1;
}

/*
 * Adopts the database: registers the files, then stamps alembic_version's
 * rows into an empty schemamig.version (no SQL of a revision runs).
 */
static int
adopt_database(const char *vtable, const char *vschema)
{
	PGconn	   *conn;
	MigDir	   *md;
	DbGraph    *g = NULL;
	PGresult   *res = NULL;
	char	   *has = NULL,
			   *rows = NULL,
			   *unknown = NULL,
			   *current = NULL,
			   *same = NULL,
			   *after = NULL;
	int			rc = EXIT_MIGRATION;

	conn = db_connect_start();
	md = migdir_load(opts.directory, db_connect_step, conn);
	conn = db_connect_finish(conn);
	if (conn == NULL || md == NULL)
		goto done;
	if (cmd_sync(conn, md, false, &g) != EXIT_OK)
		goto done;
	{
		/* env.py's version table, found as Alembic finds it */
		const char *vp[2] = {vtable, vschema};

		res = db_exec(conn,
					  "SELECT pg_catalog.to_regclass(CASE WHEN $2 OPERATOR(pg_catalog.=) '' THEN '' "
					  "ELSE pg_catalog.quote_ident($2) OPERATOR(pg_catalog.||) '.' END "
					  "OPERATOR(pg_catalog.||) pg_catalog.quote_ident($1))::pg_catalog.text",
					  2, vp, "looking for Alembic's version table");
		if (res == NULL)
			goto done;
		if (PQgetisnull(res, 0, 0))
		{
			log_info("No %s%s%s table in the database: nothing to adopt.", vschema, *vschema ? "." : "", vtable);
			rc = EXIT_OK;
			goto done;
		}
		has = psprintf("SELECT pg_catalog.array_agg(a.version_num::pg_catalog.text ORDER BY a.version_num) FROM %s a",
						PQgetvalue(res, 0, 0));
		PQclear(res);
		res = NULL;
	}
	rows = db_value(conn, has, "reading Alembic's version table");
	if (rows == NULL)
		goto done;
	if (*rows == '\0')
	{
		log_info("%s is empty: nothing to adopt.", vtable);
		rc = EXIT_OK;
		goto done;
	}
	{
		const char *params[1] = {rows};

		res = db_exec(conn,
					  "SELECT pg_catalog.string_agg(x, ', ' ORDER BY x) FROM pg_catalog.unnest($1::pg_catalog.text[]) x "
					  "WHERE NOT EXISTS (SELECT FROM schemamig.revision r WHERE r.id OPERATOR(pg_catalog.=) x)",
					  1, params, "checking alembic_version's revisions");
		if (res == NULL)
			goto done;
		if (!PQgetisnull(res, 0, 0))
		{
			pg_log_error("%s names revision %s, which is not in %s: nothing was stamped",
					  vtable, PQgetvalue(res, 0, 0), opts.directory);
			pg_log_error_hint("Import the Alembic project that migrated this database.");
			goto done;
		}
		PQclear(res);
		res = NULL;
		current = db_value(conn,
						   "SELECT pg_catalog.string_agg(v.revision, ', ' ORDER BY v.revision) FROM schemamig.version v",
						   "reading the current revisions");
		if (current == NULL)
			goto done;
		if (*current)
		{
			res = db_exec(conn,
						  "SELECT (SELECT pg_catalog.array_agg(v.revision ORDER BY v.revision) FROM schemamig.version v) "
						  "OPERATOR(pg_catalog.=) $1::pg_catalog.text[]",
						  1, params, "comparing the version tables");
			if (res == NULL)
				goto done;
			if (PQgetvalue(res, 0, 0)[0] == 't')
				log_info("The database is adopted already (current: %s).", current);
			else
				log_info("pg_schemamig manages this database already (current: %s); the retired %s is not adopted again.",
						 current, vtable);
			rc = EXIT_OK;
			goto done;
		}
		if (!db_command(conn, "BEGIN", "starting the adoption"))
			goto done;
		res = PQexecParams(conn, "SELECT schemamig.stamp($1::pg_catalog.text[])", 1, NULL, params,
						   NULL, NULL, 0);
		if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			db_report_error(res, conn, "stamp failed", g);
			PQclear(PQexec(conn, "ROLLBACK"));
			goto done;
		}
		PQclear(res);
		res = db_exec(conn,
					  "SELECT (SELECT pg_catalog.array_agg(v.revision ORDER BY v.revision) FROM schemamig.version v) "
					  "OPERATOR(pg_catalog.=) $1::pg_catalog.text[]",
					  1, params, "comparing the version tables");
		if (res == NULL || PQgetvalue(res, 0, 0)[0] != 't')
		{
			if (res != NULL)
				pg_log_error("stamping %s's rows (%s) did not give exactly those heads: nothing was stamped", vtable, rows);
			PQclear(PQexec(conn, "ROLLBACK"));
			goto done;
		}
		if (!db_command(conn, "COMMIT", "committing the adoption"))
			goto done;
		after = db_value(conn,
						 "SELECT pg_catalog.string_agg(v.revision, ', ' ORDER BY v.revision) FROM schemamig.version v",
						 "reading the current revisions");
		log_info("Running stamp_revision  -> %s", after ? after : "");
		log_info("Adopted the database: schemamig.version holds %s's rows; %s is left in place and no longer updated.",
				 vtable, vtable);
		acknowledge_prior_drift(conn, "adoption");
		rc = EXIT_OK;
	}

done:
	PQclear(res);
	free(has);
	free(rows);
	free(unknown);
	free(current);
	free(same);
	free(after);
	dbgraph_free(g);
	migdir_free(md);
	if (conn)
		db_disconnect(conn);
	return rc;
}

int
cmd_import_alembic(void)
{
	char	   *out;
	size_t		len;
	AlembicRev *revs = NULL;
	int			nrevs = 0,
				i,
				written = 0,
				unchanged = 0,
				irreversible = 0;
	RevFileList failed = {0, NULL};
	struct stat st;
	int			rc = EXIT_OK;
	const char *db = opts.dbconn ? opts.dbconn : getenv("DATABASE_URL");

	if (opts.nargs != 1)
	{
		pg_log_error("wrong number of arguments for \"import-alembic\"");
		fprintf(stderr, "Usage: pg_schemamig import-alembic DIR\n");
		return EXIT_USAGE;
	}
	if (stat(opts.args[0], &st) != 0 || !S_ISDIR(st.st_mode))
	{
		pg_log_error("%s is not a folder (it should hold alembic.ini)", opts.args[0]);
		return EXIT_USAGE;
	}
	log_verbose("reading the Alembic project %s with %s", opts.args[0], python_command());
	out = run_python_helper("sm_alembic.py", opts.args[0], NULL, &len);
	if (out == NULL)
		return EXIT_MIGRATION;
	if (!parse_revisions(out, len, &revs, &nrevs))
	{
		pg_log_error("could not read what sm_alembic.py printed");
		rc = EXIT_MIGRATION;
		goto done;
	}
	if (stat(opts.directory, &st) != 0)
	{
		if (mkdir(opts.directory, 0777) != 0)
		{
			pg_log_error("could not create directory %s: %s", opts.directory, strerror(errno));
			rc = EXIT_MIGRATION;
			goto done;
		}
		log_info("  Creating directory %s ...  done", opts.directory);
	}

	for (i = 0; i < nrevs; i++)
	{
		AlembicRev *a = &revs[i];
		RevFile		rf;
		const char *bad;
		char	   *text;
		int			w;

		if (a->id == NULL && a->version_table != NULL)
			continue;			/* env.py's version table, for the adoption */
		if (a->id == NULL || a->file == NULL)
		{
			pg_log_error("could not read what sm_alembic.py printed");
			rc = EXIT_MIGRATION;
			goto done;
		}
		if (a->upgrade_error)
		{
			pg_log_error("could not import revision %s (%s.py): Alembic's offline mode cannot render its upgrade: %s",
					  a->id, a->file, a->upgrade_error);
			list_append(&failed, a->id);
			continue;
		}
		if ((bad = mentions_failed(a->down, &failed)) != NULL ||
			(bad = mentions_failed(a->depends, &failed)) != NULL)
		{
			pg_log_error("could not import revision %s (%s.py): it needs revision %s, which was not imported",
					  a->id, a->file, bad);
			list_append(&failed, a->id);
			continue;
		}
		memset(&rf, 0, sizeof(rf));
		rf.id = a->id;
		rf.message = a->message ? a->message : "";
		split_list(&rf.down, a->down);
		split_list(&rf.labels, a->labels);
		split_list(&rf.depends, a->depends);
		rf.transactional = a->transactional;
		rf.upgrade_sql = a->upgrade ? a->upgrade : "";
		rf.downgrade_sql = a->downgrade_error ? NULL : (a->downgrade ? a->downgrade : "");
		rf.irreversible = rf.downgrade_sql == NULL;
		text = revfile_format(&rf);
		revfile_list_free(&rf.down);
		revfile_list_free(&rf.labels);
		revfile_list_free(&rf.depends);
		if (text == NULL)
		{
			pg_log_error("out of memory");
			rc = EXIT_MIGRATION;
			goto done;
		}
		w = write_import(a, text);
		free(text);
		if (w < 0)
		{
			list_append(&failed, a->id);
			continue;
		}
		if (w > 0)
			written++;
		else
			unchanged++;
		if (a->downgrade_error)
		{
			irreversible++;
			pg_log_warning("revision %s is irreversible: Alembic cannot render its downgrade (%s)",
						a->id, a->downgrade_error);
		}
	}
	log_info("import-alembic: %d written, %d unchanged, %d irreversible, %d not imported",
			 written, unchanged, irreversible, failed.n);
	if (failed.n > 0)
	{
		pg_log_error("%d revision%s could not be imported", failed.n, failed.n == 1 ? "" : "s");
		pg_log_error_hint("Write the missing revisions' SQL by hand (pg_schemamig revision --rev-id ID), then run import-alembic again.");
		rc = EXIT_MIGRATION;
	}
	else if (db != NULL && *db != '\0')
	{
		const char *vtable = "alembic_version";
		const char *vschema = "";

		for (i = 0; i < nrevs; i++)
			if (revs[i].id == NULL && revs[i].version_table != NULL)
			{
				vtable = revs[i].version_table;
				vschema = revs[i].version_schema ? revs[i].version_schema : "";
			}
		rc = adopt_database(vtable, vschema);
	}

done:
	for (i = 0; i < nrevs; i++)
		free_rev(&revs[i]);
	free(revs);
	revfile_list_free(&failed);
	free(out);
	return rc;
}
