/*-------------------------------------------------------------------------
 *
 * graph.c
 *	  The in-memory revision graph: building and validation, walks, heads
 *	  and bases, Alembic's topological order.  The steps of an upgrade or
 *	  downgrade are in steps.c, the graph read against a version table in
 *	  graph_current.c, target resolution in target.c, all above this file.
 *
 * This is the shared graph engine (src/common): the server builds it from
 * schemamig.revision (src/graph/graph_load.c), the client from the
 * migration files, and both get the same answers.  Every walk is
 * iterative with a visited array, so each is O(n + edges); lookups go
 * through hash tables.  Wherever Alembic iterates an unordered set, the
 * lists here are in registration order, which is how ties between parallel
 * lines are broken.
 *
 * src/common/graph.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#include <limits.h>

#include "graph_int.h"

int
graph_index_of(SmGraph *g, const char *id)
{
	return strmap_get(&g->ids, id);
}

int
graph_label_index(SmGraph *g, const char *label)
{
	return strmap_get(&g->labels, label);
}

int
graph_count(SmGraph *g)
{
	return g->n;
}

SmRevision *
graph_revision(SmGraph *g, int index)
{
	Assert(index >= 0 && index < g->n);
	return g->revs[index];
}

SmRevision *
graph_find(SmGraph *g, const char *id)
{
	int			i = graph_index_of(g, id);

	return i < 0 ? NULL : g->revs[i];
}

/* graph_heads returns the real heads' ids (List of char *), registration order */
List *
graph_heads(SmGraph *g)
{
	List	   *result = NIL;
	int			i;

	for (i = 0; i < g->real_heads.n; i++)
		result = lappend(result, g->revs[g->real_heads.v[i]]->id);
	return result;
}

/* offset of the SmIdx a walk follows inside SmRevNode */
static size_t
edge_offset(SmEdges edges)
{
	switch (edges)
	{
		case SM_EDGE_DOWN:
			return offsetof(SmRevNode, down);
		case SM_EDGE_NORMDOWN:
			return offsetof(SmRevNode, normdown);
		case SM_EDGE_ALLDOWN:
			return offsetof(SmRevNode, alldown);
		case SM_EDGE_NEXT:
			return offsetof(SmRevNode, next);
		case SM_EDGE_ALLNEXT:
			return offsetof(SmRevNode, allnext);
	}
	elog(ERROR, "unexpected edge kind %d", (int) edges);
	return 0;					/* keep compiler quiet */
}

/*
 * graph_walk_into marks in "seen" (one bool per revision, overwritten)
 * every revision reachable from "starts" (included) along "edges".
 * Negative start entries (base, none) are ignored.  Iterative; the scratch
 * stack is the graph's own, so walks must not nest.
 */
void
graph_walk_into(SmGraph *g, const int *starts, int nstarts, SmEdges edges, bool *seen)
{
	size_t		off = edge_offset(edges);
	int		   *stack = g->walk_stack;
	int			top = 0;
	int			i;

	memset(seen, 0, sizeof(bool) * g->n);
	for (i = 0; i < nstarts; i++)
	{
		if (starts[i] >= 0 && !seen[starts[i]])
		{
			seen[starts[i]] = true;
			stack[top++] = starts[i];
		}
	}
	if (edges == SM_EDGE_NORMDOWN && g->nd_off != NULL)
	{
		/* the hot case (topological sort): compressed adjacency */
		const int  *offs = g->nd_off;
		const int  *adj = g->nd_adj;
		unsigned int steps = 0;

		while (top > 0)
		{
			int			cur = stack[--top];
			int			end = offs[cur + 1];

			for (i = offs[cur]; i < end; i++)
			{
				int			k = adj[i];

				if (!seen[k])
				{
					seen[k] = true;
					stack[top++] = k;
				}
			}
			if ((++steps & 4095) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		return;
	}
	while (top > 0)
	{
		int			cur = stack[--top];
		const SmIdx *e = (const SmIdx *) ((const char *) &g->nodes[cur] + off);

		for (i = 0; i < e->n; i++)
		{
			int			k = e->v[i];

			if (!seen[k])
			{
				seen[k] = true;
				stack[top++] = k;
			}
		}
		if ((top & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
}

/* graph_walk: graph_walk_into a new palloc'd array */
bool *
graph_walk(SmGraph *g, const int *starts, int nstarts, SmEdges edges)
{
	bool	   *seen = palloc(sizeof(bool) * Max(g->n, 1));

	graph_walk_into(g, starts, nstarts, edges, seen);
	return seen;
}

/*
 * graph_shares_lineage: is "target" an ancestor or a descendant of (or
 * equal to) one of "against"?  Alembic's _shares_lineage; true when
 * "against" is empty.
 */
bool
graph_shares_lineage(SmGraph *g, int target, const int *against, int nagainst,
					 bool include_deps)
{
	bool	   *up;
	bool	   *down;
	bool		result = false;
	int			i;

	if (nagainst == 0)
		return true;
	if (target < 0)
		return false;
	up = graph_walk(g, &target, 1, include_deps ? SM_EDGE_ALLNEXT : SM_EDGE_NEXT);
	down = graph_walk(g, &target, 1, include_deps ? SM_EDGE_NORMDOWN : SM_EDGE_DOWN);
	for (i = 0; i < nagainst && !result; i++)
		if (against[i] >= 0 && (up[against[i]] || down[against[i]]))
			result = true;
	pfree(up);
	pfree(down);
	return result;
}

/*
 * graph_reaches: is "target" one of "from" or an ancestor of one of them
 * (through normalized down revisions)?  The search never goes below the
 * target's topological position, so it costs what lies between.
 */
bool
graph_reaches(SmGraph *g, const int *from, int nfrom, int target)
{
	const int  *pos = g->topo_pos;
	int		   *stack = g->walk_stack;
	int			top = 0;
	uint32		gen;
	int			i;

	if (++g->mark_gen == 0)
	{
		memset(g->mark, 0, sizeof(uint32) * g->n);
		g->mark_gen = 1;
	}
	gen = g->mark_gen;
	for (i = 0; i < nfrom; i++)
	{
		int			f = from[i];

		if (f == target)
			return true;
		if (f >= 0 && pos[f] > pos[target] && g->mark[f] != gen)
		{
			g->mark[f] = gen;
			stack[top++] = f;
		}
	}
	while (top > 0)
	{
		int			u = stack[--top];

		for (i = g->nd_off[u]; i < g->nd_off[u + 1]; i++)
		{
			int			p = g->nd_adj[i];

			if (p == target)
				return true;
			if (pos[p] > pos[target] && g->mark[p] != gen)
			{
				g->mark[p] = gen;
				stack[top++] = p;
			}
		}
	}
	return false;
}

/* Does revision idx carry "label" among its effective branch labels? */
bool
graph_has_label(SmGraph *g, int idx, const char *label)
{
	ListCell   *lc;

	if (idx < 0)
		return false;
	foreach(lc, SM_NODE(g, idx)->eff_labels)
		if (strcmp((char *) lfirst(lc), label) == 0)
			return true;
	return false;
}

/* resolve a list of names against the graph; "what" names them in errors */
static SmIdx
resolve_names(SmGraph *g, List *names, SmRevision *owner, const char *what,
			  bool labels_too)
{
	SmIdx		r;
	ListCell   *lc;

	r.n = 0;
	r.v = palloc(sizeof(int) * Max(list_length(names), 1));
	foreach(lc, names)
	{
		const char *name = lfirst(lc);
		int			i = graph_index_of(g, name);

		if (i < 0 && labels_too)
			i = graph_label_index(g, name);
		if (i < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("revision \"%s\" refers to unknown %s \"%s\"",
							owner->id, what, name)));
		if (i == owner->index)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("revision \"%s\" refers to itself as its own %s",
							owner->id, what)));
		if (!idx_contains(r, i))
			r.v[r.n++] = i;
	}
	return r;
}

static SmIdx
idx_concat_dedup(SmIdx a, SmIdx b)
{
	SmIdx		r;
	int			i;

	r.n = 0;
	r.v = palloc(sizeof(int) * Max(a.n + b.n, 1));
	for (i = 0; i < a.n; i++)
		if (!idx_contains(r, a.v[i]))
			r.v[r.n++] = a.v[i];
	for (i = 0; i < b.n; i++)
		if (!idx_contains(r, b.v[i]))
			r.v[r.n++] = b.v[i];
	return r;
}

/*
 * detect_cycles raises an error naming the revisions that lie on (or above)
 * a cycle of down revisions and dependencies.  Kahn's algorithm.
 */
static void
detect_cycles(SmGraph *g)
{
	int		   *pending = palloc0(sizeof(int) * Max(g->n, 1));
	int		   *queue = palloc(sizeof(int) * Max(g->n, 1));
	int			qh = 0,
				qt = 0;
	int			done = 0;
	int			i,
				j;
	StringInfoData names;
	int			shown = 0;

	for (i = 0; i < g->n; i++)
	{
		pending[i] = SM_NODE(g, i)->alldown.n;
		if (pending[i] == 0)
			queue[qt++] = i;
	}
	while (qh < qt)
	{
		SmIdx		kids = SM_NODE(g, queue[qh++])->allnext;

		done++;
		for (j = 0; j < kids.n; j++)
			if (--pending[kids.v[j]] == 0)
				queue[qt++] = kids.v[j];
	}
	if (done == g->n)
	{
		g->topo_pos = pending;	/* all zero now: reuse as the position array */
		for (i = 0; i < g->n; i++)
			g->topo_pos[queue[i]] = i;
		pfree(queue);
		return;
	}
	initStringInfo(&names);
	for (i = 0; i < g->n; i++)
	{
		if (pending[i] > 0)
		{
			if (shown++ < 10)
				appendStringInfo(&names, "%s\"%s\"", shown > 1 ? ", " : "", g->revs[i]->id);
		}
	}
	if (shown > 10)
		appendStringInfo(&names, " and %d more", shown - 10);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
			 errmsg("the revision graph has a cycle"),
			 errdetail("Revisions on or above the cycle: %s.", names.data)));
}

/* add "label" to revision i's effective labels, keeping them sorted */
static void
add_eff_label(SmGraph *g, int i, char *label)
{
	SmRevNode  *node = SM_NODE(g, i);
	ListCell   *lc;
	int			pos = 0;

	foreach(lc, node->eff_labels)
	{
		int			c = strcmp((char *) lfirst(lc), label);

		if (c == 0)
			return;
		if (c > 0)
			break;
		pos++;
	}
	node->eff_labels = list_insert_nth(node->eff_labels, pos, label);
}

/*
 * propagate_labels spreads each declared label over its line, as Alembic's
 * _add_branches: to every descendant through down revisions, then from the
 * last descendant visited down to (excluding) the nearest branch point
 * (counting dependencies) or merge point.
 */
static void
propagate_labels(SmGraph *g)
{
	int			r;
	SmIntBuf	stack = {0, 0, NULL};
	bool	   *seen = palloc(sizeof(bool) * Max(g->n, 1));

	for (r = 0; r < g->n; r++)
	{
		List	   *labels = g->revs[r]->labels;
		int			last = r;
		int			parent;
		ListCell   *lc;

		if (labels == NIL)
			continue;
		memset(seen, 0, sizeof(bool) * g->n);
		stack.n = 0;
		intbuf_push(&stack, r);
		while (stack.n > 0)
		{
			int			cur = stack.v[--stack.n];
			SmIdx		kids;
			int			k;

			CHECK_FOR_INTERRUPTS();
			if (seen[cur])
				continue;
			seen[cur] = true;
			kids = SM_NODE(g, cur)->next;
			for (k = 0; k < kids.n; k++)
				intbuf_push(&stack, kids.v[k]);
			foreach(lc, labels)
				add_eff_label(g, cur, lfirst(lc));
			last = cur;
		}
		parent = last;
		while (parent >= 0)
		{
			SmRevNode  *node = SM_NODE(g, parent);

			if (node->allnext.n > 1 || node->down.n > 1)
				break;
			foreach(lc, labels)
				add_eff_label(g, parent, lfirst(lc));
			parent = node->down.n == 1 ? node->down.v[0] : -1;
		}
	}
	pfree(seen);
}

/*
 * dependency_implied: does a proper ancestor of r (through down revisions)
 * also depend on d?  Searches down from r, never below "bound", the lowest
 * topological position of any revision that depends on d.
 */
static bool
dependency_implied(SmGraph *g, int r, int d, int bound)
{
	const int  *pos = g->topo_pos;
	int		   *stack = g->walk_stack;
	int			top = 0;
	uint32		gen;
	SmIdx		down = SM_NODE(g, r)->down;
	int			i;

	if (++g->mark_gen == 0)
	{
		memset(g->mark, 0, sizeof(uint32) * g->n);
		g->mark_gen = 1;
	}
	gen = g->mark_gen;
	for (i = 0; i < down.n; i++)
	{
		if (pos[down.v[i]] >= bound && g->mark[down.v[i]] != gen)
		{
			g->mark[down.v[i]] = gen;
			stack[top++] = down.v[i];
		}
	}
	while (top > 0)
	{
		int			u = stack[--top];
		SmRevNode  *node = SM_NODE(g, u);

		if (idx_contains(node->deps, d))
			return true;
		for (i = 0; i < node->down.n; i++)
		{
			int			p = node->down.v[i];

			if (pos[p] >= bound && g->mark[p] != gen)
			{
				g->mark[p] = gen;
				stack[top++] = p;
			}
		}
	}
	return false;
}

/*
 * normalize_dependencies drops from each revision's resolved dependencies
 * those that one of its ancestors (through down revisions) also depends on
 * (Alembic's _normalize_depends_on).
 */
static void
normalize_dependencies(SmGraph *g)
{
	int		   *lowest = palloc(sizeof(int) * Max(g->n, 1));
	int			r,
				k;

	for (r = 0; r < g->n; r++)
		lowest[r] = INT_MAX;
	for (r = 0; r < g->n; r++)
	{
		SmIdx		deps = SM_NODE(g, r)->deps;

		for (k = 0; k < deps.n; k++)
			lowest[deps.v[k]] = Min(lowest[deps.v[k]], g->topo_pos[r]);
	}
	for (r = 0; r < g->n; r++)
	{
		SmRevNode  *node = SM_NODE(g, r);

		if (node->deps.n == 0)
		{
			node->normdeps = node->deps;
			continue;
		}
		CHECK_FOR_INTERRUPTS();
		node->normdeps.n = 0;
		node->normdeps.v = palloc(sizeof(int) * node->deps.n);
		for (k = 0; k < node->deps.n; k++)
		{
			int			d = node->deps.v[k];

			if (!dependency_implied(g, r, d, lowest[d]))
				node->normdeps.v[node->normdeps.n++] = d;
		}
	}
	pfree(lowest);
}

/*
 * graph_build builds and validates the graph of "n" revisions given in
 * registration order (revs[i]->index == i): unknown down revisions and
 * dependencies, labels used twice or equal to a revision id, cycles.  The
 * graph keeps the revisions; everything is allocated in the memory context
 * current at entry.
 */
SmGraph *
graph_build(SmRevision **revs, int n)
{
	SmGraph    *g = palloc0(sizeof(SmGraph));
	int			row;
	int			i,
				k;
	int			nedges = 0;
	SmIntBuf   *next;
	SmIntBuf   *allnext;
	SmIntBuf	heads = {0, 0, NULL},
				real_heads = {0, 0, NULL},
				bases = {0, 0, NULL},
				real_bases = {0, 0, NULL};

	g->n = n;
	g->revs = revs;
	g->nodes = palloc0(sizeof(SmRevNode) * Max(g->n, 1));
	g->walk_stack = palloc(sizeof(int) * Max(g->n, 1));
	g->mark = palloc0(sizeof(uint32) * Max(g->n, 1));
	strmap_init(&g->ids, g->n);
	strmap_init(&g->labels, 16);

	for (row = 0; row < n; row++)
	{
		SmRevision *rev = revs[row];

		CHECK_FOR_INTERRUPTS();
		rev->index = row;
		rev->priv = &g->nodes[row];
		if (rev->id == NULL || !sm_valid_name(rev->id))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("schemamig.revision holds an invalid revision id \"%s\"",
							rev->id ? rev->id : "")));
		strmap_put(&g->ids, rev->id, rev->index);
	}

	/* labels: unique, and never equal to a revision id */
	for (i = 0; i < g->n; i++)
	{
		ListCell   *lc;

		foreach(lc, g->revs[i]->labels)
		{
			char	   *label = lfirst(lc);
			int			owner;

			if (!sm_valid_name(label))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("revision \"%s\" has an invalid branch label \"%s\"",
								g->revs[i]->id, label)));
			if (graph_index_of(g, label) >= 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_OBJECT),
						 errmsg("branch label \"%s\" of revision \"%s\" is also a revision id",
								label, g->revs[i]->id)));
			owner = strmap_get(&g->labels, label);
			if (owner >= 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_OBJECT),
						 errmsg("branch label \"%s\" of revision \"%s\" is already used by revision \"%s\"",
								label, g->revs[i]->id, g->revs[owner]->id)));
			strmap_put(&g->labels, label, i);
			g->label_keys = lappend(g->label_keys, label);
		}
	}

	/* edges */
	next = palloc0(sizeof(SmIntBuf) * Max(g->n, 1));
	allnext = palloc0(sizeof(SmIntBuf) * Max(g->n, 1));
	for (i = 0; i < g->n; i++)
	{
		SmRevNode  *node = SM_NODE(g, i);

		node->down = resolve_names(g, g->revs[i]->down, g->revs[i], "down revision", false);
		node->deps = resolve_names(g, g->revs[i]->depends, g->revs[i], "dependency", true);
		node->alldown = idx_concat_dedup(node->down, node->deps);
		for (k = 0; k < node->alldown.n; k++)
		{
			int			p = node->alldown.v[k];

			intbuf_push(&allnext[p], i);
			if (idx_contains(node->down, p))
				intbuf_push(&next[p], i);
		}
	}
	for (i = 0; i < g->n; i++)
	{
		SM_NODE(g, i)->next = intbuf_to_idx(&next[i]);
		SM_NODE(g, i)->allnext = intbuf_to_idx(&allnext[i]);
	}
	detect_cycles(g);
	normalize_dependencies(g);
	for (i = 0; i < g->n; i++)
	{
		SmRevNode  *node = SM_NODE(g, i);

		node->normdown = idx_concat_dedup(node->down, node->normdeps);
		nedges += node->normdown.n;
		if (node->next.n == 0)
			intbuf_push(&heads, i);
		if (node->allnext.n == 0)
			intbuf_push(&real_heads, i);
		if (node->down.n == 0)
			intbuf_push(&bases, i);
		if (node->down.n == 0 && g->revs[i]->depends == NIL)
			intbuf_push(&real_bases, i);
	}
	g->nd_off = palloc(sizeof(int) * (g->n + 1));
	g->nd_adj = palloc(sizeof(int) * Max(nedges, 1));
	nedges = 0;
	for (i = 0; i < g->n; i++)
	{
		SmIdx		nd = SM_NODE(g, i)->normdown;

		g->nd_off[i] = nedges;
		for (k = 0; k < nd.n; k++)
			g->nd_adj[nedges++] = nd.v[k];
	}
	g->nd_off[g->n] = nedges;
	g->heads = intbuf_to_idx(&heads);
	g->real_heads = intbuf_to_idx(&real_heads);
	g->bases = intbuf_to_idx(&bases);
	g->real_bases = intbuf_to_idx(&real_bases);
	propagate_labels(g);
	return g;
}

/*
 * The ancestors (through normalized down revisions, inclusive) of one
 * pending head of the topological sort, discovered lazily: a node is only
 * expanded once a membership question reaches its topological position.
 * Every ancestor of the head at a position >= p lies on a path of nodes at
 * positions >= p, so after expanding every discovered node at a position
 * >= pos(c), "c is an ancestor" is exactly "c was discovered".  This answers
 * Alembic's "is the candidate an ancestor of another head" without walking
 * whole histories at every merge.
 */
typedef struct SmAncestors
{
	uint32	   *seen;			/* discovered ancestors: seen[v] == gen */
	uint32		gen;
	int		   *heap;			/* discovered, unexpanded: max-heap on topo_pos */
	int			nheap;
} SmAncestors;

static void
anc_push(SmGraph *g, SmAncestors *a, int v)
{
	const int  *pos = g->topo_pos;
	int			i = a->nheap++;

	while (i > 0 && pos[a->heap[(i - 1) / 2]] < pos[v])
	{
		a->heap[i] = a->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	a->heap[i] = v;
}

static int
anc_pop(SmGraph *g, SmAncestors *a)
{
	const int  *pos = g->topo_pos;
	int			top = a->heap[0];
	int			last = a->heap[--a->nheap];
	int			i = 0;

	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= a->nheap)
			break;
		if (c + 1 < a->nheap && pos[a->heap[c + 1]] > pos[a->heap[c]])
			c++;
		if (pos[a->heap[c]] <= pos[last])
			break;
		a->heap[i] = a->heap[c];
		i = c;
	}
	if (a->nheap > 0)
		a->heap[i] = last;
	return top;
}

/* (re)start the ancestors of "head", reusing a's buffers when it has some */
static void
anc_start(SmGraph *g, SmAncestors *a, int head)
{
	if (a->seen == NULL)
	{
		a->seen = palloc0(sizeof(uint32) * g->n);
		a->heap = palloc(sizeof(int) * g->n);
		a->gen = 0;
	}
	if (++a->gen == 0)
	{
		memset(a->seen, 0, sizeof(uint32) * g->n);
		a->gen = 1;
	}
	a->nheap = 0;
	a->seen[head] = a->gen;
	anc_push(g, a, head);
}

/* is c an ancestor of (or equal to) the head? */
static bool
anc_contains(SmGraph *g, SmAncestors *a, int c)
{
	const int  *pos = g->topo_pos;

	while (a->seen[c] != a->gen && a->nheap > 0 && pos[a->heap[0]] >= pos[c])
	{
		int			u = anc_pop(g, a);
		int			i;

		for (i = g->nd_off[u]; i < g->nd_off[u + 1]; i++)
		{
			int			p = g->nd_adj[i];

			if (a->seen[p] != a->gen)
			{
				a->seen[p] = a->gen;
				anc_push(g, a, p);
			}
		}
	}
	return a->seen[c] == a->gen;
}

/*
 * graph_topological_sort orders the revisions marked in "todo" so that each
 * comes before its down revisions and dependencies (newest first), starting
 * from "heads" and following one line as long as no other pending head
 * depends on it: Alembic's RevisionMap._topological_sort.  Returns a List
 * of int (indexes).  "todo" is not modified.
 */
List *
graph_topological_sort(SmGraph *g, const bool *todo_in, const int *heads_in,
					   int nheads_in)
{
	bool	   *todo = palloc(sizeof(bool) * Max(g->n, 1));
	SmIntBuf	cur = {0, 0, NULL};
	SmAncestors *anc;
	int			anc_cap;
	List	   *output = NIL;
	int			idx = 0;
	int			i,
				h;
	int			remaining = 0;
	List	   *spare = NIL;	/* buffers of finished lines, reused */

	memcpy(todo, todo_in, sizeof(bool) * g->n);
	for (i = 0; i < g->n; i++)
		if (todo[i])
			remaining++;

	/* pending heads in registration order */
	{
		bool	   *is_head = palloc0(sizeof(bool) * Max(g->n, 1));

		for (h = 0; h < nheads_in; h++)
			if (heads_in[h] >= 0 && todo[heads_in[h]])
				is_head[heads_in[h]] = true;
		for (i = 0; i < g->n; i++)
			if (is_head[i])
				intbuf_push(&cur, i);
		pfree(is_head);
	}
	anc_cap = Max(cur.n, 4);
	anc = palloc0(sizeof(SmAncestors) * anc_cap);
	for (h = 0; h < cur.n; h++)
		anc_start(g, &anc[h], cur.v[h]);

	while (cur.n > 0)
	{
		int			candidate = cur.v[idx];
		bool		blocked = false;

		CHECK_FOR_INTERRUPTS();
		for (h = 0; h < cur.n; h++)
		{
			if (h != idx && anc_contains(g, &anc[h], candidate))
			{
				idx = h;
				blocked = true;
				break;
			}
		}
		if (!blocked)
		{
			SmRevNode  *node = SM_NODE(g, candidate);
			SmIntBuf	add = {0, 0, NULL};

			if (todo[candidate])
			{
				output = lappend_int(output, candidate);
				todo[candidate] = false;
				remaining--;
			}
			for (i = 0; i < node->normdown.n; i++)
			{
				int			r = node->normdown.v[i];
				bool		present = false;

				for (h = 0; h < cur.n; h++)
					if (cur.v[h] == r)
						present = true;
				if (todo[r] && !present)
					intbuf_push(&add, r);
			}
			if (add.n == 0)
			{
				/* no pending ancestors: this line is done */
				SmAncestors *keep = palloc(sizeof(SmAncestors));

				*keep = anc[idx];
				spare = lappend(spare, keep);
				for (h = idx; h < cur.n - 1; h++)
				{
					cur.v[h] = cur.v[h + 1];
					anc[h] = anc[h + 1];
				}
				cur.n--;
				idx = Max(idx - 1, 0);
			}
			else if (node->normdeps.n == 0 && node->down.n == 1)
			{
				/* plain step down a line: the parent's ancestors remain */
				cur.v[idx] = add.v[0];
				anc[idx].seen[candidate] = 0;
			}
			else
			{
				cur.v[idx] = add.v[0];
				anc_start(g, &anc[idx], add.v[0]);
				for (i = 1; i < add.n; i++)
				{
					intbuf_push(&cur, add.v[i]);
					if (cur.n > anc_cap)
					{
						anc_cap *= 2;
						anc = repalloc(anc, sizeof(SmAncestors) * anc_cap);
					}
					memset(&anc[cur.n - 1], 0, sizeof(SmAncestors));
					if (spare != NIL)
					{
						anc[cur.n - 1] = *(SmAncestors *) llast(spare);
						spare = list_delete_last(spare);
					}
					anc_start(g, &anc[cur.n - 1], add.v[i]);
				}
			}
			if (add.v)
				pfree(add.v);
		}
	}
	/*
	 * Revisions left over hang below none of the heads through down
	 * revisions (history('a:b') where a is below b only through depends_on:
	 * Alembic keeps a but not b, then fails an assertion).  Sort them from
	 * their own tips (in registration order) instead of failing.
	 */
	if (remaining > 0)
	{
		bool	   *below = palloc0(sizeof(bool) * Max(g->n, 1));
		bool	   *tips = palloc(sizeof(bool) * Max(g->n, 1));
		int			ntips = 0;
		List	   *rest;

		for (i = 0; i < g->n; i++)
		{
			SmRevNode  *node = SM_NODE(g, i);

			if (!todo[i])
				continue;
			for (h = 0; h < node->normdown.n; h++)
				if (todo[node->normdown.v[h]])
					below[node->normdown.v[h]] = true;
		}
		for (i = 0; i < g->n; i++)
		{
			tips[i] = todo[i] && !below[i];
			if (tips[i])
				ntips++;
		}
		if (ntips == 0)
			elog(ERROR, "topological sort left %d revisions unordered", remaining);
		{
			int		   *tipv = palloc(sizeof(int) * ntips);

			ntips = 0;
			for (i = 0; i < g->n; i++)
				if (tips[i])
					tipv[ntips++] = i;
			rest = graph_topological_sort(g, todo, tipv, ntips);
			pfree(tipv);
		}
		output = list_concat(output, rest);
		pfree(below);
		pfree(tips);
	}
	pfree(todo);
	return output;
}

/*
 * graph_check_overlap refuses a set of requested revisions of which one is
 * an ancestor of another (Alembic's "check" in ancestor walks).
 */
void
graph_check_overlap(SmGraph *g, SmIdx revs)
{
	SmIntBuf	parents = {0, 0, NULL};
	bool	   *below;
	int			i,
				k;

	for (i = 0; i < revs.n; i++)
	{
		SmIdx		d;

		if (revs.v[i] < 0)
			continue;
		d = SM_NODE(g, revs.v[i])->normdown;
		for (k = 0; k < d.n; k++)
			intbuf_push(&parents, d.v[k]);
	}
	if (parents.n == 0)
		return;
	below = graph_walk(g, parents.v, parents.n, SM_EDGE_NORMDOWN);
	for (i = 0; i < revs.n; i++)
	{
		if (revs.v[i] >= 0 && below[revs.v[i]])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("requested revision \"%s\" is an ancestor of another requested revision",
							g->revs[revs.v[i]]->id)));
	}
	pfree(below);
}

/*
 * graph_revision_set: the heads (no children through down revisions), the
 * real heads (no children at all), the bases or the real bases, as a List
 * of SmRevision * in registration order.
 */
List *
graph_revision_set(SmGraph *g, SmRevisionSet which)
{
	SmIdx		set;
	List	   *result = NIL;
	int			i;

	switch (which)
	{
		case SM_SET_HEADS:
			set = g->heads;
			break;
		case SM_SET_REAL_HEADS:
			set = g->real_heads;
			break;
		case SM_SET_BASES:
			set = g->bases;
			break;
		default:
			set = g->real_bases;
			break;
	}
	for (i = 0; i < set.n; i++)
		result = lappend(result, g->revs[set.v[i]]);
	return result;
}

/* graph_is_branch_point: has "rev" several children through down revisions? */
bool
graph_is_branch_point(SmGraph *g, const SmRevision *rev)
{
	return SM_NODE(g, rev->index)->next.n > 1;
}

/* graph_dependents: the revisions naming "rev" as a down revision or dependency */
List *
graph_dependents(SmGraph *g, const SmRevision *rev)
{
	SmIdx		kids = SM_NODE(g, rev->index)->allnext;
	List	   *result = NIL;
	int			i;

	for (i = 0; i < kids.n; i++)
		result = lappend(result, g->revs[kids.v[i]]);
	return result;
}

/*
 * graph_describe fills "info" with what history() and show() print of
 * "rev": its children through down revisions, its effective branch labels
 * (sorted) and its number of down revisions.
 */
void
graph_describe(SmGraph *g, const SmRevision *rev, SmRevisionInfo *info)
{
	SmRevNode  *node = SM_NODE(g, rev->index);
	int			i;

	info->children = NIL;
	for (i = 0; i < node->next.n; i++)
		info->children = lappend(info->children, g->revs[node->next.v[i]]);
	info->labels = node->eff_labels;
	info->nparents = node->down.n;
}
