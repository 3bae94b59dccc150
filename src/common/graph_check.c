/*-------------------------------------------------------------------------
 *
 * graph_check.c
 *	  The checks of a set of revisions that is not a graph yet, reporting
 *	  every problem where graph_build() stops at the first: down revisions
 *	  and dependencies that name nothing, revisions no walk up from a base
 *	  reaches.  check() runs them on the catalog's rows.
 *
 * src/common/graph_check.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#include "graph_int.h"

/*
 * name_maps fills "ids" and "labels" for revisions not yet built into a
 * graph; where a name repeats, the first revision in input order wins.
 */
static void
name_maps(SmRevision **revs, int n, StrMap *ids, StrMap *labels)
{
	int			i;

	strmap_init(ids, n);
	strmap_init(labels, 16);
	for (i = n - 1; i >= 0; i--)
	{
		ListCell   *lc;

		if (revs[i]->id != NULL)
			strmap_put(ids, revs[i]->id, i);
		foreach(lc, revs[i]->labels)
			strmap_put(labels, lfirst(lc), i);
	}
}

/* the revision a down revision (or, "dependency", a depends_on entry) names; -1 */
static int
name_target(const StrMap *ids, const StrMap *labels, const char *name, bool dependency)
{
	int			p = strmap_get(ids, name);

	if (p < 0 && dependency)
		p = strmap_get(labels, name);
	return p;
}

/* qsort order of SmMissingParent: id, kind, name (C collation) */
static int
missing_cmp(const void *a, const void *b)
{
	const SmMissingParent *x = *(SmMissingParent *const *) a;
	const SmMissingParent *y = *(SmMissingParent *const *) b;
	int			c = strcmp(x->id, y->id);

	if (c == 0)
		c = strcmp(x->kind, y->kind);
	if (c == 0)
		c = strcmp(x->name, y->name);
	return c;
}

/*
 * graph_missing_parents lists, for revisions not yet built into a graph,
 * every down revision that is no revision's id and every dependency that is
 * neither an id nor a branch label: a List of SmMissingParent sorted by
 * revision id, kind ("depends_on", "down_revision") and name.  check() and
 * the client report them all, where graph_build stops at the first.
 */
List *
graph_missing_parents(SmRevision **revs, int n)
{
	StrMap		ids;
	StrMap		labels;
	SmMissingParent **found = NULL;
	int			nfound = 0;
	int			cap = 0;
	int			i;
	List	   *result = NIL;

	name_maps(revs, n, &ids, &labels);
	for (i = 0; i < n; i++)
	{
		int			pass;

		for (pass = 0; pass < 2; pass++)
		{
			List	   *names = pass == 0 ? revs[i]->down : revs[i]->depends;
			ListCell   *lc;

			foreach(lc, names)
			{
				const char *name = lfirst(lc);
				SmMissingParent *m;
				int			position = foreach_current_index(lc);

				if (name_target(&ids, &labels, name, pass == 1) >= 0)
					continue;
				m = palloc(sizeof(SmMissingParent));
				m->index = i;
				m->id = revs[i]->id;
				m->kind = pass == 0 ? "down_revision" : "depends_on";
				m->name = name;
				m->position = position;
				if (nfound >= cap)
				{
					cap = cap ? cap * 2 : 8;
					found = found ? repalloc(found, sizeof(*found) * cap) : palloc(sizeof(*found) * cap);
				}
				found[nfound++] = m;
			}
		}
	}
	if (nfound > 1)
		qsort(found, nfound, sizeof(*found), missing_cmp);
	for (i = 0; i < nfound; i++)
		result = lappend(result, found[i]);
	strmap_free(&ids);
	strmap_free(&labels);
	return result;
}

/*
 * graph_unreachable returns, in registration order, the ids of the
 * revisions that no walk up from a base (a revision without down revisions)
 * reaches through down revisions: with every parent present, exactly those
 * on or after a cycle.  NIL when there are none.
 */
List *
graph_unreachable(SmRevision **revs, int n)
{
	StrMap		ids;
	SmIntBuf   *children = palloc0(sizeof(SmIntBuf) * Max(n, 1));
	bool	   *reached = palloc0(sizeof(bool) * Max(n, 1));
	int		   *queue = palloc(sizeof(int) * Max(n, 1));
	int			qh = 0,
				qt = 0;
	int			i;
	List	   *result = NIL;

	strmap_init(&ids, n);
	for (i = n - 1; i >= 0; i--)	/* the first of equal ids wins */
	{
		if (revs[i]->id != NULL)
			strmap_put(&ids, revs[i]->id, i);
	}
	for (i = 0; i < n; i++)
	{
		ListCell   *lc;

		if (revs[i]->down == NIL)
		{
			reached[i] = true;
			queue[qt++] = i;
		}
		foreach(lc, revs[i]->down)
		{
			int			p = strmap_get(&ids, lfirst(lc));

			if (p >= 0)
				intbuf_push(&children[p], i);
		}
	}
	while (qh < qt)
	{
		SmIntBuf   *kids = &children[queue[qh++]];
		int			k;

		CHECK_FOR_INTERRUPTS();
		for (k = 0; k < kids->n; k++)
			if (!reached[kids->v[k]])
			{
				reached[kids->v[k]] = true;
				queue[qt++] = kids->v[k];
			}
	}
	for (i = 0; i < n; i++)
		if (!reached[i])
			result = lappend(result, revs[i]->id);
	strmap_free(&ids);
	return result;
}
