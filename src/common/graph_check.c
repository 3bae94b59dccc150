/*-------------------------------------------------------------------------
 *
 * graph_check.c
 *	  The checks of a set of revisions that is not a graph yet, reporting
 *	  every problem where graph_build() stops at the first: down revisions
 *	  and dependencies that name nothing, revisions no walk up from a base
 *	  reaches, and one cycle as a path.  check() runs them on the catalog's
 *	  rows, the client on its migration files: one implementation.
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

/*
 * graph_cycle_path finds, for revisions not yet built into a graph, one
 * cycle of down revisions and dependencies (a dependency naming a revision
 * id, else a branch label), as the List of ids along it with the first
 * repeated at the end; NIL when there is none.  The walk starts at the
 * first revision, in input order, that lies on or above a cycle and follows
 * the first such parent (down revisions first), so the answer is the same
 * on every run.
 */
List *
graph_cycle_path(SmRevision **revs, int n)
{
	StrMap		ids;
	StrMap		labels;
	int		   *pending = palloc0(sizeof(int) * Max(n, 1));
	SmIntBuf   *kids = palloc0(sizeof(SmIntBuf) * Max(n, 1));
	int		   *queue = palloc(sizeof(int) * Max(n, 1));
	int		   *seen = palloc(sizeof(int) * Max(n, 1));
	int		   *path = palloc(sizeof(int) * (n + 1));
	int			qh = 0,
				qt = 0,
				len = 0,
				cur,
				i;
	List	   *result = NIL;

	name_maps(revs, n, &ids, &labels);
	/* Kahn's algorithm over down revisions and dependencies */
	for (i = 0; i < n; i++)
	{
		int			pass;

		for (pass = 0; pass < 2; pass++)
		{
			ListCell   *lc;

			foreach(lc, pass == 0 ? revs[i]->down : revs[i]->depends)
			{
				int			p = name_target(&ids, &labels, lfirst(lc), pass == 1);

				if (p >= 0)
				{
					pending[i]++;
					intbuf_push(&kids[p], i);
				}
			}
		}
		if (pending[i] == 0)
			queue[qt++] = i;
	}
	while (qh < qt)
	{
		SmIntBuf   *k = &kids[queue[qh++]];
		int			j;

		for (j = 0; j < k->n; j++)
			if (--pending[k->v[j]] == 0)
				queue[qt++] = k->v[j];
	}
	if (qt < n)
	{
		for (cur = 0; pending[cur] == 0; cur++)
			;
		for (i = 0; i < n; i++)
			seen[i] = -1;
		/* walk to a pending parent until a revision repeats */
		while (seen[cur] < 0)
		{
			int			next = -1;
			int			pass;

			seen[cur] = len;
			path[len++] = cur;
			for (pass = 0; pass < 2 && next < 0; pass++)
			{
				ListCell   *lc;

				foreach(lc, pass == 0 ? revs[cur]->down : revs[cur]->depends)
				{
					int			p = name_target(&ids, &labels, lfirst(lc), pass == 1);

					if (p >= 0 && pending[p] > 0)
					{
						next = p;
						break;
					}
				}
			}
			if (next < 0)
				break;			/* cannot happen: a pending revision has a
								 * pending parent */
			cur = next;
		}
		for (i = seen[cur] >= 0 ? seen[cur] : 0; i < len; i++)
			result = lappend(result, revs[path[i]]->id);
		result = lappend(result, revs[cur]->id);
	}
	strmap_free(&ids);
	strmap_free(&labels);
	pfree(pending);
	pfree(queue);
	pfree(seen);
	pfree(path);
	for (i = 0; i < n; i++)
		if (kids[i].v)
			pfree(kids[i].v);
	pfree(kids);
	return result;
}
