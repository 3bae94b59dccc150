/*-------------------------------------------------------------------------
 *
 * dbgraph.c
 *	  The revisions registered in schemamig.revision, loaded in one query,
 *	  with their children and dependents (for Alembic's head, branch point
 *	  and merge point markers), and Alembic's one-line and verbose formats
 *	  of a revision.
 *
 * The order of revisions (heads, history) always comes from the graph
 * engine (the server's functions, or the shared engine on the files:
 * filegraph.c); this module only describes revisions.
 *
 * src/client/dbgraph.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

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
		char	   *item = xmalloc(len + 1);

		memcpy(item, s, len);
		item[len] = '\0';
		out->items = xrealloc(out->items, sizeof(char *) * (out->n + 1));
		out->items[out->n++] = item;
		if (comma == NULL)
			break;
		s = comma + 1;
	}
}

static void
free_list(RevFileList *l)
{
	int			i;

	for (i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
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

				parent->children = xrealloc(parent->children, sizeof(int) * (parent->nchildren + 1));
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
	g = xmalloc(sizeof(DbGraph));
	g->n = PQntuples(res);
	g->revs = xmalloc(sizeof(DbRev) * (g->n ? g->n : 1));
	memset(g->revs, 0, sizeof(DbRev) * (g->n ? g->n : 1));
	strmap_init(&g->byid, g->n);
	for (i = 0; i < g->n; i++)
	{
		DbRev	   *r = &g->revs[i];

		r->id = xstrdup(PQgetvalue(res, i, 0));
		r->message = xstrdup(PQgetvalue(res, i, 1));
		split_list(PQgetvalue(res, i, 2), &r->down);
		split_list(PQgetvalue(res, i, 3), &r->labels);
		split_list(PQgetvalue(res, i, 4), &r->depends);
		r->transactional = PQgetvalue(res, i, 5)[0] == 't';
		r->reversible = PQgetvalue(res, i, 6)[0] == 't';
		r->checksum = xstrdup(PQgetvalue(res, i, 7));
		r->current = PQgetvalue(res, i, 8)[0] == 't';
		if (with_sql)
		{
			r->upgrade_sql = xstrdup(PQgetvalue(res, i, 9));
			r->downgrade_sql = PQgetisnull(res, i, 10) ? NULL : xstrdup(PQgetvalue(res, i, 10));
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
	to->items = xmalloc(sizeof(char *) * (from->n ? from->n : 1));
	for (i = 0; i < from->n; i++)
		to->items[i] = xstrdup(from->items[i]);
}

/*
 * dbgraph_from_files describes the migration files as if sync had
 * registered them (in its order) in an empty database: nothing applied,
 * no checksums.  For the commands answered without a database.
 */
DbGraph *
dbgraph_from_files(const MigDir *md)
{
	DbGraph    *g = xmalloc(sizeof(DbGraph));
	int			i;

	g->n = md->n;
	g->revs = xmalloc(sizeof(DbRev) * (g->n ? g->n : 1));
	memset(g->revs, 0, sizeof(DbRev) * (g->n ? g->n : 1));
	strmap_init(&g->byid, g->n);
	for (i = 0; i < g->n; i++)
	{
		const RevFile *f = md->files[i];
		DbRev	   *r = &g->revs[i];

		r->id = xstrdup(f->id);
		r->message = xstrdup(f->message);
		copy_list(&f->down, &r->down);
		copy_list(&f->labels, &r->labels);
		copy_list(&f->depends, &r->depends);
		r->transactional = f->transactional;
		r->reversible = f->downgrade_sql != NULL;
		r->file = f;
		strmap_put(&g->byid, r->id, i);
	}
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
		free_list(&r->down);
		free_list(&r->labels);
		free_list(&r->depends);
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
}

/* Alembic's _format_down_revision: "<base>" or "a, b" (malloc'd). */
char *
rev_down_text(const DbRev *r)
{
	if (r->down.n == 0)
		return xstrdup("<base>");
	return revfile_join(&r->down, ", ");
}

/* A growing string. */
typedef struct Buf
{
	char	   *s;
	size_t		len;
	size_t		cap;
} Buf;

static void
buf_add(Buf *b, const char *s)
{
	size_t		n = strlen(s);

	if (b->len + n + 1 > b->cap)
	{
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void
buf_add_list(Buf *b, const RevFileList *l)
{
	char	   *s = revfile_join(l, ", ");

	if (s == NULL)
		s = xstrdup("");
	buf_add(b, s);
	free(s);
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
	Buf			b = {NULL, 0, 0};
	bool		is_head = r->nchildren == 0;
	bool		real_head = is_head && r->ndependents == 0;
	bool		show_current = opts.indicate_current && r->current;
	char	   *down = rev_down_text(r);
	int			i;

	buf_add(&b, "");
	if (verbose)
	{
		buf_add(&b, "Rev: ");
		buf_add(&b, r->id);
		if (is_head)
			buf_add(&b, " (head)");
		if (r->nchildren > 1)
			buf_add(&b, " (branchpoint)");
		if (r->down.n > 1)
			buf_add(&b, " (mergepoint)");
		if (show_current)
			buf_add(&b, " (current)");
		buf_add(&b, r->down.n > 1 ? "\nMerges: " : "\nParent: ");
		buf_add(&b, down);
		buf_add(&b, "\n");
		if (r->depends.n > 0)
		{
			buf_add(&b, "Also depends on: ");
			buf_add_list(&b, &r->depends);
			buf_add(&b, "\n");
		}
		if (r->nchildren > 1)
		{
			buf_add(&b, "Branches into: ");
			for (i = 0; i < r->nchildren; i++)
			{
				if (i > 0)
					buf_add(&b, ", ");
				buf_add(&b, g->revs[r->children[i]].id);
			}
			buf_add(&b, "\n");
		}
		if (r->labels.n > 0)
		{
			buf_add(&b, "Branch names: ");
			buf_add_list(&b, &r->labels);
			buf_add(&b, "\n");
		}
		buf_add(&b, "Path: ");
		buf_add(&b, r->file ? r->file->path : "(registered in the database only)");
		buf_add(&b, "\n\n    ");
		buf_add(&b, r->message);
		if (!r->transactional)
			buf_add(&b, "\n    (non-transactional)");
		if (!r->reversible)
			buf_add(&b, "\n    (irreversible)");
		buf_add(&b, "\n");
		free(down);
		return b.s;
	}

	if (include_parents)
	{
		buf_add(&b, down);
		if (r->depends.n > 0)
		{
			buf_add(&b, " (");
			buf_add_list(&b, &r->depends);
			buf_add(&b, ")");
		}
		buf_add(&b, " -> ");
	}
	buf_add(&b, r->id);
	if (include_branches && r->labels.n > 0)
	{
		buf_add(&b, " (");
		buf_add_list(&b, &r->labels);
		buf_add(&b, ")");
	}
	if (real_head)
		buf_add(&b, " (head)");
	else if (is_head)
		buf_add(&b, " (effective head)");
	if (show_current)
		buf_add(&b, " (current)");
	if (tree_indicators)
	{
		if (r->nchildren > 1)
			buf_add(&b, " (branchpoint)");
		if (r->down.n > 1)
			buf_add(&b, " (mergepoint)");
	}
	if (include_doc)
	{
		buf_add(&b, ", ");
		buf_add(&b, r->message);
	}
	free(down);
	return b.s;
}
