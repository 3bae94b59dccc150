/*-------------------------------------------------------------------------
 *
 * plan_order.c
 *	  Order the actions of a plan by the dependencies of both models.
 *
 * A drop comes before the drops and alters of what it depended on in the
 * live schema; a create after the creates and alters of what it depends on
 * in the desired schema; an alter after what its new form needs and before
 * the drop of what its old form needed; a rebuilt object's drop before its
 * create.  Among the actions ready at a time, drops go first (dependents'
 * kinds first), then alters, then creates (in creation order of kinds),
 * then registration order, so the result is deterministic.  A cycle (which
 * the folding of OWNED BY and defaults avoids) is broken at the action that
 * would have come first.
 *
 * src/diff/plan_order.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/binaryheap.h"
#include "utils/builtins.h"

#include "diff.h"
#include "plan_int.h"

static void
edge(Action *before, Action *after)
{
	if (before == NULL || after == NULL || before == after)
		return;
	before->out = lappend(before->out, after);
	after->nin++;
}

/*
 * Creation rank of a kind.  Functions come after tables and views: a body
 * PostgreSQL does not track may name them, while what a table needs of a
 * function (a default, a check, an index) is a tracked dependency.
 */
static int
kind_rank(DiffKind k)
{
	if (k == DK_FUNCTION)
		return 2 * DK_VIEW + 1;
	return 2 * (int) k;
}

/* smaller is earlier; binaryheap keeps the greatest first */
static int
prio_cmp(Action *a, Action *b)
{
	int			ka,
				kb;

	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	ka = a->phase == 0 ? -kind_rank(a->kind) : kind_rank(a->kind);
	kb = b->phase == 0 ? -kind_rank(b->kind) : kind_rank(b->kind);
	if (ka != kb)
		return ka < kb ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq ? 1 : 0;
}

static int
heap_cmp(Datum a, Datum b, void *arg)
{
	(void) arg;
	return -prio_cmp((Action *) DatumGetPointer(a), (Action *) DatumGetPointer(b));
}

List *
plan_order(Planner *p)
{
	ListCell   *lc;
	binaryheap *heap;
	List	   *steps = NIL;
	int			left = list_length(p->actions);

	foreach(lc, p->all)
	{
		PEnt	   *e = lfirst(lc);
		ListCell   *lc2;

		if (e->from)
		{
			foreach(lc2, e->from->deps)
			{
				PEnt	   *t = plan_find(p, lfirst(lc2));

				if (t == NULL)
					continue;

				if (e->dropact && t->dropact)
					edge(e->dropact, t->dropact);
				if (e->dropact && t->alteract)
					edge(e->dropact, t->alteract);
				if (e->alteract && t->dropact)
					edge(e->alteract, t->dropact);
			}
		}
		if (e->to)
		{
			foreach(lc2, e->to->deps)
			{
				PEnt	   *t = plan_find(p, lfirst(lc2));

				if (t == NULL)
					continue;

				if (e->createact && t->createact)
					edge(t->createact, e->createact);
				if (e->createact && t->alteract)
					edge(t->alteract, e->createact);
				if (e->alteract && t->createact)
					edge(t->createact, e->alteract);
				if (e->alteract && t->alteract)
					edge(t->alteract, e->alteract);
			}
			/* REPLICA IDENTITY USING INDEX needs the index */
			if (e->replact)
			{
				PEnt	   *t = plan_find(p, psprintf("i:%s.%s", quote_identifier(e->to->schema),
													  quote_identifier(e->to->replindex)));

				if (t == NULL)
					t = plan_find(p, psprintf("k:%s.%s", e->to->qname, quote_identifier(e->to->replindex)));
				if (t)
					edge(t->createact, e->replact);
				edge(e->alteract, e->replact);
				edge(e->createact, e->replact);
			}
		}
		if (e->dropact && e->createact)
			edge(e->dropact, e->createact);
		if (e->dropact && e->alteract)
			edge(e->dropact, e->alteract);
	}

	heap = binaryheap_allocate(left + 1, heap_cmp, NULL);
	foreach(lc, p->actions)
	{
		Action	   *a = lfirst(lc);

		if (a->nin == 0)
			binaryheap_add_unordered(heap, PointerGetDatum(a));
	}
	binaryheap_build(heap);
	while (left > 0)
	{
		Action	   *a;
		ListCell   *lc2;

		if (binaryheap_empty(heap))
		{
			/* a cycle: take the earliest remaining action */
			Action	   *best = NULL;

			foreach(lc, p->actions)
			{
				Action	   *c = lfirst(lc);

				if (!c->emitted && (best == NULL || prio_cmp(c, best) < 0))
					best = c;
			}
			best->nin = 0;
			binaryheap_add(heap, PointerGetDatum(best));
		}
		a = (Action *) DatumGetPointer(binaryheap_remove_first(heap));
		if (a->emitted)
			continue;
		a->emitted = true;
		left--;
		steps = list_concat(steps, a->steps);
		foreach(lc2, a->out)
		{
			Action	   *b = lfirst(lc2);

			if (!b->emitted && --b->nin == 0)
				binaryheap_add(heap, PointerGetDatum(b));
		}
	}
	return steps;
}
