/*-------------------------------------------------------------------------
 *
 * cmd_orphans.c
 *	  The files are the truth for what may be applied.  Against the
 *	  revisions registered in the database, the migration files of this
 *	  checkout split them into:
 *	    - revisions with a file: the normal case;
 *	    - orphans: applied here but without a file in this checkout (a
 *	      developer applied them on another git branch, then switched);
 *	    - strays: registered (by a sync from another checkout) but neither
 *	      applied nor in the files.
 *	  upgrade never applies a stray, refuses a plain "upgrade" while orphans
 *	  are applied (explaining how to go on), and "downgrade --orphans" takes
 *	  the orphans back with the downgrade SQL the database stored for them.
 *	  A relative "downgrade -N" from several applied heads is refused
 *	  instead of picking one.
 *
 * src/client/cmd_orphans.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

bool
rev_is_orphan(const DbGraph *g, const DbRev *r)
{
	return g->files_known && r->file == NULL && r->applied;
}

bool
rev_is_stray(const DbGraph *g, const DbRev *r)
{
	return g->files_known && r->file == NULL && !r->applied;
}

/* The orphans (or strays) as "a, b" in registration order, or NULL. */
char *
orphans_list(const DbGraph *g, bool strays)
{
	PQExpBufferData b;
	int			i,
				n = 0;
	char	   *s;

	initPQExpBuffer(&b);
	for (i = 0; i < g->n; i++)
		if (strays ? rev_is_stray(g, &g->revs[i]) : rev_is_orphan(g, &g->revs[i]))
			appendPQExpBuffer(&b, "%s%s", n++ > 0 ? ", " : "", g->revs[i].id);
	s = n > 0 ? pg_strdup(b.data) : NULL;
	termPQExpBuffer(&b);
	return s;
}

/* The heads of the files as a list of ids. */
static void
file_heads(const MigDir *md, RevFileList *out)
{
	int		   *heads;
	int			n = migdir_heads(md, &heads),
				i;

	for (i = 0; i < n; i++)
		list_append(out, md->files[heads[i]]->id);
	free(heads);
}

/* The error for a plain upgrade while orphans are applied. */
static void
report_orphans_block_upgrade(const DbGraph *g, const MigDir *md, const char *orphans)
{
	RevFileList heads = {0, NULL};

	file_heads(md, &heads);
	pg_log_error("revision%s %s %s applied in this database but %s no file in %s",
			  strchr(orphans, ',') ? "s" : "", orphans, strchr(orphans, ',') ? "are" : "is",
			  strchr(orphans, ',') ? "have" : "has", md->path);
	pg_log_error_detail("Probably applied from another git branch; the head of this checkout's files does not include %s, so \"upgrade\" will not guess.",
			   strchr(orphans, ',') ? "them" : "it");
	if (heads.n == 1)
		pg_log_error_hint("Run \"pg_schemamig downgrade --orphans\" to take %s back with the SQL stored in the database, then upgrade again; or run \"pg_schemamig upgrade %s\" to keep %s applied beside this branch.",
				 strchr(orphans, ',') ? "them" : "it", heads.items[0],
				 strchr(orphans, ',') ? "them" : "it");
	else
		pg_log_error_hint("Run \"pg_schemamig downgrade --orphans\" to take %s back with the SQL stored in the database, then upgrade again; or name a target to keep %s applied.",
				 strchr(orphans, ',') ? "them" : "it", strchr(orphans, ',') ? "them" : "it");
	while (heads.n > 0)
		free(heads.items[--heads.n]);
	free(heads.items);
	(void) g;
}

/*
 * What "upgrade TARGET" may run, given the files.  Fills *targets with the
 * target(s) to pass to the server in one transaction: "head" and "heads"
 * become the heads of the files when the database knows revisions that the
 * files do not, so that a stray never rides along; any other target is
 * planned first and refused when a stray is on its path.  A plain upgrade
 * ("head", the default) is refused while orphans are applied.  Returns
 * EXIT_OK, or an exit code after a message.
 */
int
orphans_upgrade_targets(PGconn *conn, const DbGraph *g, const MigDir *md,
						const char *target, RevFileList *targets)
{
	char	   *orphans,
			   *strays;
	bool		head = strcmp(target, "head") == 0;
	bool		heads = strcmp(target, "heads") == 0;
	int			rc = EXIT_OK;

	if (md == NULL || !g->files_known)
	{
		list_append(targets, target);
		return EXIT_OK;
	}
	orphans = orphans_list(g, false);
	strays = orphans_list(g, true);
	if (orphans != NULL && (head || heads))
	{
		report_orphans_block_upgrade(g, md, orphans);
		rc = EXIT_MIGRATION;
	}
	else if ((head || heads) && (orphans != NULL || strays != NULL))
	{
		RevFileList fh = {0, NULL};
		int			i;

		file_heads(md, &fh);
		if (head && fh.n > 1)
		{
			pg_log_error("multiple heads are present in %s; name one, use \"heads\", or merge them with \"pg_schemamig merge\"",
					  md->path);
			rc = EXIT_MIGRATION;
		}
		for (i = 0; i < fh.n; i++)
		{
			if (rc == EXIT_OK)
				list_append(targets, fh.items[i]);
			free(fh.items[i]);
		}
		free(fh.items);
	}
	else if (strays != NULL)
	{
		/* the revisions the target would apply: is a stray among them? */
		const char *params[1] = {target};
		PGresult   *res = PQexecParams(conn,
									   "SELECT DISTINCT p.revision FROM schemamig.plan($1) p "
									   "WHERE p.direction OPERATOR(pg_catalog.=) 'upgrade'",
									   1, NULL, params, NULL, NULL, 0);
		int			i;

		/* a planning error is the upgrade's own to report */
		if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK)
			for (i = 0; i < PQntuples(res) && rc == EXIT_OK; i++)
			{
				DbRev	   *r = dbgraph_find(g, PQgetvalue(res, i, 0));

				if (r != NULL && rev_is_stray(g, r))
				{
					pg_log_error("upgrade to %s would apply revision %s, which has no file in %s",
							  target, r->id, md->path);
					pg_log_error_detail("It is registered in the database (synced from another checkout), but the files are the truth: a revision without a file is never applied. Nothing was applied.");
					pg_log_error_hint("Check out its file, or remove it from the database with \"pg_schemamig sync --prune\".");
					rc = EXIT_MIGRATION;
				}
			}
		PQclear(res);
		if (rc == EXIT_OK)
			list_append(targets, target);
	}
	else
		list_append(targets, target);
	free(orphans);
	free(strays);
	return rc;
}

/* True for Alembic's relative downgrade targets "-N". */
static bool
is_relative_down(const char *t)
{
	if (t[0] != '-' || t[1] == '\0')
		return false;
	for (t++; *t; t++)
		if (!isdigit((unsigned char) *t))
			return false;
	return true;
}

/*
 * "downgrade -N" from several applied heads would have to pick one: refuse,
 * naming them and the branch-relative form.  Returns EXIT_OK or
 * EXIT_MIGRATION after a message.
 */
int
orphans_check_relative_downgrade(const DbGraph *g, const char *target)
{
	PQExpBufferData b;
	int			i,
				n = 0;
	const char *first = NULL;
	bool		any_orphan = false;

	if (!is_relative_down(target))
		return EXIT_OK;
	initPQExpBuffer(&b);
	for (i = 0; i < g->n; i++)
		if (g->revs[i].current)
		{
			appendPQExpBuffer(&b, "%s%s", n++ > 0 ? ", " : "", g->revs[i].id);
			if (first == NULL)
				first = g->revs[i].id;
			if (rev_is_orphan(g, &g->revs[i]))
				any_orphan = true;
		}
	if (n > 1)
	{
		pg_log_error("downgrade %s is ambiguous: %d heads are applied (%s)", target, n, b.data);
		if (any_orphan)
			pg_log_error_hint("Name the line to step back, e.g. \"pg_schemamig downgrade %s@%s\"; \"pg_schemamig downgrade --orphans\" takes back the revisions that have no file in this checkout.",
					 first, target);
		else
			pg_log_error_hint("Name the line to step back, e.g. \"pg_schemamig downgrade %s@%s\".", first, target);
		termPQExpBuffer(&b);
		return EXIT_MIGRATION;
	}
	termPQExpBuffer(&b);
	return EXIT_OK;
}

/*
 * downgrade --orphans: takes back every applied revision that has no file
 * in this checkout, children first, with the downgrade SQL stored in the
 * database, in one transaction.  Each orphan head is stepped back on its own
 * line ("ID@-1"; an orphan merge down to one of its parents, one with a
 * file first), so nothing with a file is touched; if a step would revert
 * a revision that has a file, everything is rolled back.
 */
int
orphans_downgrade(PGconn *conn, DbGraph *g, void (*print_step) (const DbGraph *g, const char *rev, bool up, const char *msg))
{
	char	   *orphans;
	int			i,
				rounds,
				progress_before;
	bool		ok = true;

	if (!g->files_known)
	{
		pg_log_error("downgrade --orphans needs the migration files, to know which applied revisions have none");
		return EXIT_MIGRATION;
	}
	orphans = orphans_list(g, false);
	if (orphans == NULL)
	{
		log_info("No orphans: every applied revision has a file in this checkout.");
		return EXIT_OK;
	}
	free(orphans);
	if (!db_command(conn, "BEGIN", "starting the downgrade"))
		return EXIT_MIGRATION;
	/* each round takes back one orphan head; there are at most g->n */
	for (rounds = 0; ok && rounds <= g->n; rounds++)
	{
		PGresult   *res = db_exec(conn,
								  "SELECT v.revision FROM schemamig.version v ORDER BY v.position",
								  0, NULL, "reading the current revisions");
		char	   *step = NULL;
		const char *params[1];

		if (res == NULL)
		{
			ok = false;
			break;
		}
		for (i = 0; i < PQntuples(res) && step == NULL; i++)
		{
			DbRev	   *r = dbgraph_find(g, PQgetvalue(res, i, 0));

			if (r != NULL && r->file == NULL)
			{
				/* one line back; a merge goes back to a parent, one with a file first */
				const char *to = NULL;
				int			k;

				for (k = 0; k < r->down.n && to == NULL && r->down.n > 1; k++)
				{
					DbRev	   *p = dbgraph_find(g, r->down.items[k]);

					if (p != NULL && p->file != NULL)
						to = p->id;
				}
				if (r->down.n > 1)
					step = pg_strdup(to ? to : r->down.items[0]);
				else
					step = psprintf("%s@-1", r->id);
			}
		}
		PQclear(res);
		if (step == NULL)
			break;
		params[0] = step;
		progress_before = db_progress_lines();
		res = PQexecParams(conn, "SELECT revision, direction, message FROM schemamig.downgrade($1)",
						   1, NULL, params, NULL, NULL, 0);
		if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			db_report_error(res, conn, "downgrade failed", g);
			ok = false;
		}
		else
		{
			for (i = 0; i < PQntuples(res) && ok; i++)
			{
				DbRev	   *r = dbgraph_find(g, PQgetvalue(res, i, 0));

				if (r != NULL && r->file != NULL)
				{
					pg_log_error("taking back the orphans would also revert revision %s, which has a file in this checkout",
							  r->id);
					pg_log_error_hint("Downgrade that line by hand, e.g. \"pg_schemamig downgrade %s\".", step);
					ok = false;
				}
			}
			if (ok && db_progress_lines() == progress_before)
				for (i = 0; i < PQntuples(res); i++)
					print_step(g, PQgetvalue(res, i, 0), false, PQgetvalue(res, i, 2));
		}
		PQclear(res);
		free(step);
	}
	if (!ok)
	{
		PQclear(PQexec(conn, "ROLLBACK"));
		pg_log_error_detail("Nothing was taken back: the downgrade runs in one transaction.");
		return EXIT_MIGRATION;
	}
	return db_command(conn, "COMMIT", "committing the downgrade") ? EXIT_OK : EXIT_MIGRATION;
}
