/*-------------------------------------------------------------------------
 *
 * graph_current.c
 *	  The graph read against a version table: which revisions a state has
 *	  applied, what "alembic current" shows, rows a version table should
 *	  not hold; and the depends_on prefixes Alembic stores.
 *
 * Part of the shared graph engine (src/common), above graph.c (it only
 * uses graph.c's walks and lookups) and beside steps.c; the depends_on
 * prefix goes through target.c's identifier resolution.
 *
 * src/common/graph_current.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#include "graph_int.h"
#include "target.h"

/*
 * graph_is_applied: is "rev" applied in version-table state "heads"?  It is
 * when a version row is the revision itself or reaches it through down
 * revisions and dependencies (labels resolved).
 */
bool
graph_is_applied(SmGraph *g, List *heads, const SmRevision *rev)
{
	SmIdx		cur = graph_version_rows(g, heads, "the version table");
	bool	   *applied = graph_walk(g, cur.v, cur.n, SM_EDGE_NORMDOWN);
	bool		result = applied[rev->index];

	pfree(applied);
	return result;
}

/*
 * graph_version_rows maps version-table ids to revision indexes; an id the
 * graph does not know is an error ("what" says where the ids come from).
 */
SmIdx
graph_version_rows(SmGraph *g, List *heads, const char *what)
{
	SmIdx		r;
	ListCell   *lc;

	r.n = 0;
	r.v = palloc(sizeof(int) * Max(list_length(heads), 1));
	foreach(lc, heads)
	{
		int			i = graph_index_of(g, (char *) lfirst(lc));

		if (i < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("%s names unknown revision \"%s\"", what, (char *) lfirst(lc))));
		if (!idx_contains(r, i))
			r.v[r.n++] = i;
	}
	return r;
}

/*
 * graph_all_current: what "alembic current" shows for the version rows
 * "cur" (Alembic's _get_all_current): the rows and everything they imply
 * through down revisions and depends_on, reduced to the tip of each line
 * (a revision with a child, through down revisions, in that set is not
 * shown).  A row whose dependency is on another line thus also shows that
 * line's tip.  The version rows come first, in their order, then the
 * implied tips in graph order.
 */
SmIdx
graph_all_current(SmGraph *g, SmIdx cur)
{
	bool	   *implied = graph_walk(g, cur.v, cur.n, SM_EDGE_NORMDOWN);
	SmIdx		r;
	int			i;
	int			pass;

	r.n = 0;
	r.v = palloc(sizeof(int) * Max(g->n, 1));
	for (i = 0; i < cur.n; i++)
		implied[cur.v[i]] = true;
	for (pass = 0; pass < 2; pass++)
	{
		int			n = pass == 0 ? cur.n : g->n;

		for (i = 0; i < n; i++)
		{
			int			v = pass == 0 ? cur.v[i] : i;
			SmIdx		next = SM_NODE(g, v)->next;
			bool		tip = true;
			int			k;

			if (!implied[v] || idx_contains(r, v))
				continue;
			for (k = 0; k < next.n && tip; k++)
				tip = !implied[next.v[k]];
			if (tip)
				r.v[r.n++] = v;
		}
	}
	pfree(implied);
	return r;
}

/*
 * graph_version_revisions: the revisions of version-table state "heads"
 * (List of SmRevision *, table order); "what" names the state in errors.
 */
List *
graph_version_revisions(SmGraph *g, List *heads, const char *what)
{
	SmIdx		rows = graph_version_rows(g, heads, what);
	List	   *result = NIL;
	int			i;

	for (i = 0; i < rows.n; i++)
		result = lappend(result, g->revs[rows.v[i]]);
	return result;
}

/*
 * graph_resolve_dependency: the full id that a depends_on entry "name"
 * which is neither an id nor a label stands for, when it is a unique prefix
 * of an id or label longer than three characters (as "alembic revision
 * --depends-on" stores it); an ambiguous prefix is reported with its
 * candidates, no candidate at all as an unknown dependency.
 */
const char *
graph_resolve_dependency(SmGraph *g, const char *name)
{
	size_t		len = strlen(name);
	ListCell   *lc;
	bool		candidate = false;
	int			i;

	for (i = 0; i < g->n && !candidate; i++)
		if (strlen(g->revs[i]->id) > 3 && strncmp(g->revs[i]->id, name, len) == 0)
			candidate = true;
	foreach(lc, g->label_keys)
		if (!candidate && strlen(lfirst(lc)) > 3 && strncmp(lfirst(lc), name, len) == 0)
			candidate = true;
	if (!candidate)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("dependency \"%s\" is neither a revision nor a branch label", name)));
	return g->revs[target_revision_for_ident(g, name, NULL)]->id;
}

/*
 * graph_current_revisions: what "alembic current" shows for the version
 * table "heads" (graph_all_current), as a List of SmRevision *.
 */
List *
graph_current_revisions(SmGraph *g, List *heads, const char *what)
{
	SmIdx		rows = graph_all_current(g, graph_version_rows(g, heads, what));
	List	   *result = NIL;
	int			i;

	for (i = 0; i < rows.n; i++)
		result = lappend(result, g->revs[rows.v[i]]);
	return result;
}

/*
 * graph_check_no_ancestors refuses a list of revisions (SmRevision *) of
 * which one is an ancestor of another (merge's parents).
 */
void
graph_check_no_ancestors(SmGraph *g, List *revs)
{
	SmIdx		idx;
	ListCell   *lc;

	idx.n = 0;
	idx.v = palloc(sizeof(int) * Max(list_length(revs), 1));
	foreach(lc, revs)
		idx.v[idx.n++] = ((SmRevision *) lfirst(lc))->index;
	graph_check_overlap(g, idx);
}

/*
 * graph_redundant_rows: the rows of a version table ("rows", ids) that lie
 * below another of its rows through down revisions: Alembic's table holds
 * heads only, so such a row means the table was written around the catalog
 * lock (or by hand).  Rows naming no revision are skipped.  Returns ids.
 */
List *
graph_redundant_rows(SmGraph *g, List *rows)
{
	List	   *result = NIL;
	int		   *starts = palloc(sizeof(int) * Max(list_length(rows), 1));
	ListCell   *lc;

	foreach(lc, rows)
	{
		SmRevision *rev = graph_find(g, lfirst(lc));
		ListCell   *lc2;
		int			n = 0;
		bool	   *below;

		if (rev == NULL)
			continue;
		foreach(lc2, rows)
		{
			SmRevision *o = graph_find(g, lfirst(lc2));

			if (o != NULL && o != rev)
				starts[n++] = o->index;
		}
		if (n == 0)
			continue;
		below = graph_walk(g, starts, n, SM_EDGE_DOWN);
		if (below[rev->index])
			result = lappend(result, rev->id);
		pfree(below);
	}
	pfree(starts);
	return result;
}
