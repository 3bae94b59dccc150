/*-------------------------------------------------------------------------
 *
 * dbgraph.c
 *	  The revisions registered in schemamig.revision, loaded in one query,
 *	  with their children and dependents (for Alembic's head, branch point
 *	  and merge point markers), and Alembic's one-line and verbose formats
 *	  of a revision.
 *
 * The order of revisions (heads, history) always comes from the server's
 * functions; this module only describes revisions.
 *
 * src/client/dbgraph.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "pqexpbuffer.h"

/* Splits "a,b,c" (array_to_string output) into a list. */
static void
split_list(const char *s, RevFileList *out)
{
	out->n = 0;
	out->items = NULL;
	while (*s)
	{
		const char *comma = strchr(s, ',');
		size_t		len = comma ? (size_t) (comma - s) : strlen(s);
		char	   *item = pg_malloc(len + 1);

		memcpy(item, s, len);
		item[len] = '\0';
		out->items = pg_realloc(out->items, sizeof(char *) * (out->n + 1));
		out->items[out->n++] = item;
		if (comma == NULL)
			break;
		s = comma + 1;
	}
}

/* The revision a depends_on entry names (an id or a branch label), or -1. */
static int
find_dependency(const DbGraph *g, const char *name)
{
	int			i = strmap_get(&g->byid, name);
	int			j;

	if (i >= 0)
		return i;
	for (i = 0; i < g->n; i++)
		for (j = 0; j < g->revs[i].labels.n; j++)
			if (strcmp(g->revs[i].labels.items[j], name) == 0)
				return i;
	return -1;
}

/*
 * Marks the applied revisions: those in the version table and, through
 * down_revisions and depends_on, everything they stand on.
 */
static void
mark_applied(DbGraph *g)
{
	int		   *stack = pg_malloc(sizeof(int) * (g->n + 1));
	int			sp = 0,
				i,
				j;

	for (i = 0; i < g->n; i++)
	{
		g->revs[i].applied = g->revs[i].current;
		if (g->revs[i].current)
			stack[sp++] = i;
	}
	while (sp > 0)
	{
		DbRev	   *r = &g->revs[stack[--sp]];

		for (j = 0; j < r->down.n + r->depends.n; j++)
		{
			int			p = j < r->down.n ? strmap_get(&g->byid, r->down.items[j]) :
				find_dependency(g, r->depends.items[j - r->down.n]);

			if (p >= 0 && !g->revs[p].applied)
			{
				g->revs[p].applied = true;
				stack[sp++] = p;
			}
		}
	}
	free(stack);
}

/* children by down_revisions; dependents by depends_on */
static void
dbgraph_link(DbGraph *g)
{
	int			i,
				j;

	for (i = 0; i < g->n; i++)
	{
		DbRev	   *r = &g->revs[i];

		for (j = 0; j < r->down.n; j++)
		{
			int			p = strmap_get(&g->byid, r->down.items[j]);

			if (p >= 0)
			{
				DbRev	   *parent = &g->revs[p];

				parent->children = pg_realloc(parent->children, sizeof(int) * (parent->nchildren + 1));
				parent->children[parent->nchildren++] = i;
			}
		}
		for (j = 0; j < r->depends.n; j++)
		{
			int			p = strmap_get(&g->byid, r->depends.items[j]);

			if (p >= 0)
				g->revs[p].ndependents++;
		}
	}
	mark_applied(g);
}

DbGraph *
dbgraph_load(PGconn *conn, bool with_sql)
{
	PGresult   *res;
	DbGraph    *g;
	int			i;

	res = db_exec(conn,
				  with_sql ?
				  "SELECT r.id, r.message, pg_catalog.array_to_string(r.down_revisions, ','), "
				  "pg_catalog.array_to_string(r.branch_labels, ','), "
				  "pg_catalog.array_to_string(r.depends_on, ','), r.transactional, "
				  "r.downgrade_sql IS NOT NULL, r.checksum, v.revision IS NOT NULL, "
				  "r.upgrade_sql, r.downgrade_sql "
				  "FROM schemamig.revision r LEFT JOIN schemamig.version v "
				  "ON v.revision OPERATOR(pg_catalog.=) r.id ORDER BY r.seq" :
				  "SELECT r.id, r.message, pg_catalog.array_to_string(r.down_revisions, ','), "
				  "pg_catalog.array_to_string(r.branch_labels, ','), "
				  "pg_catalog.array_to_string(r.depends_on, ','), r.transactional, "
				  "r.downgrade_sql IS NOT NULL, r.checksum, v.revision IS NOT NULL "
				  "FROM schemamig.revision r LEFT JOIN schemamig.version v "
				  "ON v.revision OPERATOR(pg_catalog.=) r.id ORDER BY r.seq",
				  0, NULL, "reading schemamig.revision");
	if (res == NULL)
		return NULL;
	g = pg_malloc(sizeof(DbGraph));
	g->n = PQntuples(res);
	g->files_known = false;
	g->revs = pg_malloc(sizeof(DbRev) * (g->n ? g->n : 1));
	memset(g->revs, 0, sizeof(DbRev) * (g->n ? g->n : 1));
	strmap_init(&g->byid, g->n);
	for (i = 0; i < g->n; i++)
	{
		DbRev	   *r = &g->revs[i];

		r->id = pg_strdup(PQgetvalue(res, i, 0));
		r->message = pg_strdup(PQgetvalue(res, i, 1));
		split_list(PQgetvalue(res, i, 2), &r->down);
		split_list(PQgetvalue(res, i, 3), &r->labels);
		split_list(PQgetvalue(res, i, 4), &r->depends);
		r->transactional = PQgetvalue(res, i, 5)[0] == 't';
		r->reversible = PQgetvalue(res, i, 6)[0] == 't';
		r->checksum = pg_strdup(PQgetvalue(res, i, 7));
		r->current = PQgetvalue(res, i, 8)[0] == 't';
		if (with_sql)
		{
			r->upgrade_sql = pg_strdup(PQgetvalue(res, i, 9));
			r->downgrade_sql = PQgetisnull(res, i, 10) ? NULL : pg_strdup(PQgetvalue(res, i, 10));
		}
		strmap_put(&g->byid, r->id, i);
	}
	PQclear(res);

	dbgraph_link(g);
	return g;
}

static void
copy_list(const RevFileList *from, RevFileList *to)
{
	int			i;

	to->n = from->n;
	to->items = pg_malloc(sizeof(char *) * (from->n ? from->n : 1));
	for (i = 0; i < from->n; i++)
		to->items[i] = pg_strdup(from->items[i]);
}

/*
 * dbgraph_from_files describes the migration files as if sync had
 * registered them (in its order) in an empty database: nothing applied,
 * no checksums.  For the commands answered without a database.
 */
DbGraph *
dbgraph_from_files(const MigDir *md)
{
	DbGraph    *g = pg_malloc0(sizeof(DbGraph));
	int			i;

	g->n = md->n;
	g->revs = pg_malloc0(sizeof(DbRev) * (g->n ? g->n : 1));
	strmap_init(&g->byid, g->n);
	for (i = 0; i < g->n; i++)
	{
		const RevFile *f = md->files[i];
		DbRev	   *r = &g->revs[i];

		r->id = pg_strdup(f->id);
		r->message = pg_strdup(f->message);
		copy_list(&f->down, &r->down);
		copy_list(&f->labels, &r->labels);
		copy_list(&f->depends, &r->depends);
		r->transactional = f->transactional;
		r->reversible = f->downgrade_sql != NULL;
		r->file = f;
		strmap_put(&g->byid, r->id, i);
	}
	g->files_known = true;
	dbgraph_link(g);
	return g;
}

void
dbgraph_free(DbGraph *g)
{
	int			i;

	if (g == NULL)
		return;
	for (i = 0; i < g->n; i++)
	{
		DbRev	   *r = &g->revs[i];

		free(r->id);
		free(r->message);
		revfile_list_free(&r->down);
		revfile_list_free(&r->labels);
		revfile_list_free(&r->depends);
		free(r->checksum);
		free(r->upgrade_sql);
		free(r->downgrade_sql);
		free(r->children);
	}
	free(g->revs);
	strmap_free(&g->byid);
	free(g);
}

DbRev *
dbgraph_find(const DbGraph *g, const char *id)
{
	int			i = strmap_get(&g->byid, id);

	return i >= 0 ? &g->revs[i] : NULL;
}

/* Links each registered revision to its migration file, if there is one. */
void
dbgraph_attach_files(DbGraph *g, const MigDir *md)
{
	int			i;

	for (i = 0; i < g->n; i++)
	{
		int			f = md ? migdir_find(md, g->revs[i].id) : -1;

		g->revs[i].file = f >= 0 ? md->files[f] : NULL;
	}
	g->files_known = md != NULL;
}

/* Alembic's _format_down_revision: "<base>" or "a, b" (malloc'd). */
char *
rev_down_text(const DbRev *r)
{
	if (r->down.n == 0)
		return pg_strdup("<base>");
	return revfile_join(&r->down, ", ");
}

/* appends "a, b" of a list */
static void
buf_add_list(PQExpBuffer b, const RevFileList *l)
{
	char	   *t = revfile_join(l, ", ");

	appendPQExpBufferStr(b, t ? t : "");
	free(t);
}

/*
 * A revision as Alembic's Script.cmd_format prints it: one line
 * ("down -> rev (label) (head), message", parts chosen by the flags), or
 * with "verbose" the multi-line log entry (Rev/Parent/.../Path and the
 * message indented).  Returns a malloc'd string without a final newline
 * for the one-line form.
 */
char *
rev_format(const DbGraph *g, const DbRev *r, bool verbose,
		   bool include_branches, bool include_doc, bool include_parents,
		   bool tree_indicators)
{
	PQExpBufferData b;
	bool		is_head = r->nchildren == 0;
	bool		real_head = is_head && r->ndependents == 0;
	bool		show_current = opts.indicate_current && r->current;
	bool		show_applied = opts.indicate_current && r->applied && !r->current;
	bool		orphan = g->files_known && r->file == NULL;
	char	   *down = rev_down_text(r);
	int			i;

	initPQExpBuffer(&b);
	if (verbose)
	{
		appendPQExpBufferStr(&b, "Rev: ");
		appendPQExpBufferStr(&b, r->id);
		if (is_head)
			appendPQExpBufferStr(&b, " (head)");
		if (r->nchildren > 1)
			appendPQExpBufferStr(&b, " (branchpoint)");
		if (r->down.n > 1)
			appendPQExpBufferStr(&b, " (mergepoint)");
		if (show_current)
			appendPQExpBufferStr(&b, " (current)");
		if (show_applied)
			appendPQExpBufferStr(&b, " (applied)");
		if (orphan)
			appendPQExpBufferStr(&b, r->applied ? " (orphan: no file)" : " (no file)");
		appendPQExpBufferStr(&b, r->down.n > 1 ? "\nMerges: " : "\nParent: ");
		appendPQExpBufferStr(&b, down);
		appendPQExpBufferStr(&b, "\n");
		if (r->depends.n > 0)
		{
			appendPQExpBufferStr(&b, "Also depends on: ");
			buf_add_list(&b, &r->depends);
			appendPQExpBufferStr(&b, "\n");
		}
		if (r->nchildren > 1)
		{
			appendPQExpBufferStr(&b, "Branches into: ");
			for (i = 0; i < r->nchildren; i++)
			{
				if (i > 0)
					appendPQExpBufferStr(&b, ", ");
				appendPQExpBufferStr(&b, g->revs[r->children[i]].id);
			}
			appendPQExpBufferStr(&b, "\n");
		}
		if (r->labels.n > 0)
		{
			appendPQExpBufferStr(&b, "Branch names: ");
			buf_add_list(&b, &r->labels);
			appendPQExpBufferStr(&b, "\n");
		}
		appendPQExpBufferStr(&b, "Path: ");
		appendPQExpBufferStr(&b, r->file ? r->file->path : "(registered in the database only)");
		appendPQExpBufferStr(&b, "\n\n    ");
		appendPQExpBufferStr(&b, r->message);
		if (!r->transactional)
			appendPQExpBufferStr(&b, "\n    (non-transactional)");
		if (!r->reversible)
			appendPQExpBufferStr(&b, "\n    (irreversible)");
		appendPQExpBufferStr(&b, "\n");
		free(down);
		return b.data;
	}

	if (include_parents)
	{
		appendPQExpBufferStr(&b, down);
		if (r->depends.n > 0)
		{
			appendPQExpBufferStr(&b, " (");
			buf_add_list(&b, &r->depends);
			appendPQExpBufferStr(&b, ")");
		}
		appendPQExpBufferStr(&b, " -> ");
	}
	appendPQExpBufferStr(&b, r->id);
	if (include_branches && r->labels.n > 0)
	{
		appendPQExpBufferStr(&b, " (");
		buf_add_list(&b, &r->labels);
		appendPQExpBufferStr(&b, ")");
	}
	if (real_head)
		appendPQExpBufferStr(&b, " (head)");
	else if (is_head)
		appendPQExpBufferStr(&b, " (effective head)");
	if (show_current)
		appendPQExpBufferStr(&b, " (current)");
	if (show_applied)
		appendPQExpBufferStr(&b, " (applied)");
	if (orphan)
		appendPQExpBufferStr(&b, r->applied ? " (orphan: no file)" : " (no file)");
	if (tree_indicators)
	{
		if (r->nchildren > 1)
			appendPQExpBufferStr(&b, " (branchpoint)");
		if (r->down.n > 1)
			appendPQExpBufferStr(&b, " (mergepoint)");
	}
	if (include_doc)
	{
		appendPQExpBufferStr(&b, ", ");
		appendPQExpBufferStr(&b, r->message);
	}
	free(down);
	return b.data;
}
