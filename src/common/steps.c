/*-------------------------------------------------------------------------
 *
 * steps.c
 *	  The steps of an upgrade or downgrade from a version-table state, the
 *	  version-table bookkeeping of each step (Alembic's HeadMaintainer, as
 *	  of Alembic 1.14) and stamp, over the shared graph engine.
 *
 * Layered above graph.c (the graph) and target.c (target resolution): the
 * graph does not call back up here.
 *
 * src/common/steps.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#include "graph_int.h"
#include "target.h"

static SmStep *
make_step(SmGraph *g, int idx, bool upgrade)
{
	SmStep	   *s = palloc(sizeof(SmStep));

	s->rev = g->revs[idx];
	s->upgrade = upgrade;
	return s;
}

/* List of int -> SmIdx, refusing walks that ended outside the graph */
static SmIdx
targets_to_idx(SmGraph *g, List *l, const char *target)
{
	SmIdx		r;
	ListCell   *lc;

	r.n = 0;
	r.v = palloc(sizeof(int) * Max(list_length(l), 1));
	foreach(lc, l)
	{
		if (lfirst_int(lc) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("relative target \"%s\" goes past the end of the history", target)));
		r.v[r.n++] = lfirst_int(lc);
	}
	return r;
}

/*
 * graph_upgrade_steps: Alembic's "upgrade <target>" from the version-table
 * state "heads": every revision the target needs (with dependencies) that
 * is not applied yet, oldest first.
 */
List *
graph_upgrade_steps(SmGraph *g, List *heads, const char *target)
{
	SmIdx		cur = graph_version_rows(g, heads, "the version table");
	SmIdx		targets = targets_to_idx(g, target_parse_upgrade(g, heads, target, true), target);
	bool	   *required;
	bool	   *applied;
	List	   *order;
	List	   *steps = NIL;
	int			i;

	graph_check_overlap(g, targets);
	graph_check_overlap(g, cur);
	required = graph_walk(g, targets.v, targets.n, SM_EDGE_NORMDOWN);
	applied = graph_walk(g, cur.v, cur.n, SM_EDGE_NORMDOWN);
	for (i = 0; i < g->n; i++)
		required[i] = required[i] && !applied[i];
	order = graph_topological_sort(g, required, targets.v, targets.n);
	for (i = list_length(order) - 1; i >= 0; i--)
		steps = lappend(steps, make_step(g, list_nth_int(order, i), true));
	return steps;
}

/*
 * graph_downgrade_steps: Alembic's "downgrade <target>" from "heads": every
 * applied revision above the target (and whatever depends on it), newest
 * first.
 */
List *
graph_downgrade_steps(SmGraph *g, List *heads, const char *target)
{
	SmIdx		cur = graph_version_rows(g, heads, "the version table");
	char	   *label;
	int			t = target_parse_downgrade(g, heads, target, &label, true);
	SmIntBuf	roots = {0, 0, NULL};
	bool	   *drop;
	bool	   *active;
	bool		any = false;
	List	   *order;
	List	   *steps = NIL;
	ListCell   *lc;
	int			i;

	if (t == SM_WALK_BASE)
		t = SM_WALK_NONE;
	if (t == SM_WALK_NONE)
	{
		for (i = 0; i < g->n; i++)
			if (SM_NODE(g, i)->down.n == 0)
				intbuf_push(&roots, i);
	}
	else
	{
		SmIdx		kids = SM_NODE(g, t)->next;

		for (i = 0; i < kids.n; i++)
			intbuf_push(&roots, kids.v[i]);
	}
	if (label && roots.n > 1)
	{
		int			br = target_resolve_branch(g, label);
		bool	   *anc = graph_walk(g, &br, 1, SM_EDGE_DOWN);
		int			k = 0;

		for (i = 0; i < roots.n; i++)
			if (anc[roots.v[i]])
				roots.v[k++] = roots.v[i];
		roots.n = k;
		if (k == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not a valid downgrade target from the current heads", target)));
	}
	drop = graph_walk(g, roots.v, roots.n, SM_EDGE_ALLNEXT);
	active = graph_walk(g, cur.v, cur.n, SM_EDGE_NORMDOWN);
	for (i = 0; i < g->n; i++)
	{
		drop[i] = drop[i] && active[i];
		any |= drop[i];
	}
	if (t != SM_WALK_NONE && !any)
	{
		bool		in_heads = false;

		for (i = 0; i < cur.n; i++)
			if (cur.v[i] == t)
				in_heads = true;
		if (!in_heads)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not a valid downgrade target from the current heads", target),
					 errdetail("Revision \"%s\" is not below the current heads.", g->revs[t]->id)));
	}
	order = graph_topological_sort(g, drop, cur.v, cur.n);
	foreach(lc, order)
		steps = lappend(steps, make_step(g, lfirst_int(lc), false));
	return steps;
}

/*
 * graph_is_downgrade_target: base, label@base and -N go down; +N goes up;
 * otherwise the target goes down when everything it names is applied and
 * one of them is below the current heads.
 */
bool
graph_is_downgrade_target(SmGraph *g, List *heads, const char *target)
{
	SmTargetSyntax syn;
	SmIdx		cur = graph_version_rows(g, heads, "the version table");
	List	   *targets;
	bool	   *applied;
	bool		below = false;
	ListCell   *lc;
	int			i;

	target_parse_or_error(target, &syn);
	if (syn.relative && !syn.has_symbol)
		return syn.steps < 0;
	if (!syn.relative && strcmp(syn.symbol, "base") == 0)
		return true;
	targets = target_parse_upgrade(g, heads, target, true);
	if (targets == NIL)
		return false;
	applied = graph_walk(g, cur.v, cur.n, SM_EDGE_NORMDOWN);
	foreach(lc, targets)
	{
		int			t = lfirst_int(lc);
		bool		is_head = false;

		if (t < 0)
			return true;
		if (!applied[t])
			return false;
		for (i = 0; i < cur.n; i++)
			if (cur.v[i] == t)
				is_head = true;
		if (!is_head)
			below = true;
	}
	return below;
}

/* position of "id" in the heads list, or -1 */
static int
heads_pos(List *heads, const char *id)
{
	ListCell   *lc;

	foreach(lc, heads)
		if (strcmp((char *) lfirst(lc), id) == 0)
			return foreach_current_index(lc);
	return -1;
}

static List *
heads_delete(List *heads, const char *id)
{
	int			p = heads_pos(heads, id);

	return p >= 0 ? list_delete_nth_cell(heads, p) : heads;
}

/* replace "from" by "to" in place; "to" is appended when "from" is absent */
static List *
heads_update(List *heads, const char *from, const char *to)
{
	int			p = heads_pos(heads, from);

	if (heads_pos(heads, to) >= 0)
		return heads_delete(heads, from);
	if (p < 0)
		return lappend(heads, (char *) to);
	list_nth_cell(heads, p)->ptr_value = (char *) to;
	return heads;
}

static List *
heads_insert(List *heads, const char *id)
{
	if (heads_pos(heads, id) >= 0)
		return heads;
	return lappend(heads, (char *) id);
}

/*
 * graph_heads_after_step: the version table after one step, following
 * Alembic's HeadMaintainer.update_to_step for a RevisionStep (Alembic 1.14:
 * downgrading a revision restores only those of its down revisions and
 * dependencies that nothing else remaining already implies).
 */
List *
graph_heads_after_step(SmGraph *g, List *heads, const SmStep *step)
{
	List	   *h = list_copy(heads);
	int			r = step->rev->index;
	SmRevNode  *node = SM_NODE(g, r);
	SmIdx		nd = node->normdown;
	int			i;

	if (!step->upgrade)
	{
		SmIntBuf	other = {0, 0, NULL};
		SmIntBuf	to = {0, 0, NULL};
		ListCell   *lc;

		if (heads_pos(h, step->rev->id) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cannot downgrade revision \"%s\": it is not a head of the version table",
							step->rev->id)));
		if (nd.n == 0)
			return heads_delete(h, step->rev->id);
		foreach(lc, h)
		{
			int			k = graph_index_of(g, lfirst(lc));

			if (k >= 0 && k != r)
				intbuf_push(&other, k);
		}
		/*
		 * A single parent with no other head cannot be implied by anything
		 * left: it simply takes the revision's place.
		 */
		if (other.n == 0 && nd.n == 1)
			return heads_update(h, step->rev->id, g->revs[nd.v[0]]->id);
		if (other.n == 0)
		{
			/* Alembic 1.14: drop those that are ancestors of the others */
			for (i = 0; i < nd.n; i++)
			{
				SmIdx		pd = SM_NODE(g, nd.v[i])->normdown;
				int			k;

				for (k = 0; k < pd.n; k++)
					intbuf_push(&other, pd.v[k]);
			}
		}
		for (i = 0; i < nd.n; i++)
			if (!graph_reaches(g, other.v, other.n, nd.v[i]))
				intbuf_push(&to, nd.v[i]);
		if (to.n == 0)
			return heads_delete(h, step->rev->id);
		if (nd.n > 1)
		{
			h = heads_update(h, step->rev->id, g->revs[to.v[0]]->id);
			for (i = 1; i < to.n; i++)
				h = heads_insert(h, g->revs[to.v[i]]->id);
			return h;
		}
		return heads_update(h, step->rev->id, g->revs[nd.v[0]]->id);
	}
	else
	{
		SmIntBuf	present = {0, 0, NULL};

		for (i = 0; i < nd.n; i++)
			if (heads_pos(h, g->revs[nd.v[i]]->id) >= 0)
				intbuf_push(&present, nd.v[i]);
		if (nd.n == 0 || present.n == 0)
			return heads_insert(h, step->rev->id);
		if (nd.n > 1 && present.n > 1)
		{
			/* merge: the down revisions no other head implies go away */
			SmIntBuf	other = {0, 0, NULL};
			SmIntBuf	from = {0, 0, NULL};
			ListCell   *lc;
			int			keep = -1;

			foreach(lc, h)
			{
				int			k = graph_index_of(g, lfirst(lc));
				bool		in_nd = false;

				for (i = 0; i < nd.n; i++)
					if (nd.v[i] == k)
						in_nd = true;
				if (k >= 0 && !in_nd)
					intbuf_push(&other, k);
			}
			for (i = 0; i < present.n; i++)
				if (!graph_reaches(g, other.v, other.n, present.v[i]))
					intbuf_push(&from, present.v[i]);
			if (from.n == 0)
				return heads_insert(h, step->rev->id);
			/* the one earliest in the table takes the merge's place */
			for (i = 0; i < from.n; i++)
			{
				int			p = heads_pos(h, g->revs[from.v[i]]->id);

				if (keep < 0 || p < heads_pos(h, g->revs[keep]->id))
					keep = from.v[i];
			}
			for (i = 0; i < from.n; i++)
				if (from.v[i] != keep)
					h = heads_delete(h, g->revs[from.v[i]]->id);
			return heads_update(h, g->revs[keep]->id, step->rev->id);
		}
		if (nd.n != 1 && present.n != 1)
			elog(ERROR, "ambiguous down revision for \"%s\"", step->rev->id);
		return heads_update(h, g->revs[nd.n == 1 ? nd.v[0] : present.v[0]]->id,
							step->rev->id);
	}
}

/* one StampStep of Alembic's _stamp_revs */
typedef struct SmStampStep
{
	SmIdx		from;
	int			to;				/* -1: none */
	bool		upgrade;
	bool		branch_move;
} SmStampStep;

static List *
apply_stamp_step(SmGraph *g, List *h, SmStampStep *s)
{
	int			i;

	if (!s->upgrade && s->branch_move)
		return heads_delete(h, g->revs[s->from.v[0]]->id);
	if (s->upgrade && s->to >= 0 && heads_pos(h, g->revs[s->to]->id) < 0)
	{
		bool		from_missing = false;

		for (i = 0; i < s->from.n; i++)
			if (heads_pos(h, g->revs[s->from.v[i]]->id) < 0)
				from_missing = true;
		if (s->branch_move || from_missing)
			return heads_insert(h, g->revs[s->to]->id);
	}
	if (s->from.n > 1)
	{
		int			keep = -1;
		int			keep_pos = -1;

		for (i = 0; i < s->from.n; i++)
		{
			int			p = heads_pos(h, g->revs[s->from.v[i]]->id);

			if (p >= 0 && (keep < 0 || p < keep_pos))
			{
				keep = s->from.v[i];
				keep_pos = p;
			}
		}
		for (i = 0; i < s->from.n; i++)
			if (s->from.v[i] != keep)
				h = heads_delete(h, g->revs[s->from.v[i]]->id);
		if (keep < 0)
			return heads_insert(h, g->revs[s->to]->id);
		return heads_update(h, g->revs[keep]->id, g->revs[s->to]->id);
	}
	if (s->from.n == 0)
		return heads_insert(h, g->revs[s->to]->id);
	return heads_update(h, g->revs[s->from.v[0]]->id, g->revs[s->to]->id);
}

/*
 * graph_stamp_heads: the version table after "alembic stamp <targets>
 * [--purge]" from "heads" (Alembic's _stamp_revs and HeadMaintainer).
 */
List *
graph_stamp_heads(SmGraph *g, List *heads, List *targets, bool purge)
{
	List	   *h = purge ? NIL : list_copy(heads);
	SmIdx		cur = graph_version_rows(g, h, "the version table");
	SmIntBuf	filtered = {0, 0, NULL};
	List	   *dests = NIL;
	List	   *steps = NIL;
	ListCell   *lc;
	int			i;

	if (targets == NIL)
		targets = list_make1("base");
	foreach(lc, targets)
	{
		SmIdx		f = target_filter_for_lineage(g, cur, lfirst(lc), true);
		int			k;

		for (i = 0; i < f.n; i++)
		{
			bool		dup = false;

			for (k = 0; k < filtered.n; k++)
				if (filtered.v[k] == f.v[i])
					dup = true;
			if (!dup)
				intbuf_push(&filtered, f.v[i]);
		}
	}
	foreach(lc, targets)
		dests = list_concat(dests, target_get_revisions(g, lfirst(lc)));
	if (dests == NIL)
		dests = list_make1_int(SM_WALK_NONE);

	foreach(lc, dests)
	{
		int			d = lfirst_int(lc);
		SmStampStep *s;
		bool	   *desc;
		bool	   *anc;
		bool		above = false,
					below = false;

		if (d == SM_WALK_NONE)
		{
			for (i = 0; i < filtered.n; i++)
			{
				s = palloc0(sizeof(SmStampStep));
				s->from.n = 1;
				s->from.v = &filtered.v[i];
				s->to = -1;
				s->upgrade = false;
				s->branch_move = true;
				steps = lappend(steps, s);
			}
			continue;
		}
		if (d == SM_WALK_BASE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot stamp a relative target that ends below a base")));
		for (i = 0; i < filtered.n; i++)
			if (filtered.v[i] == d)
				break;
		if (i < filtered.n)
			continue;
		desc = graph_walk(g, &d, 1, SM_EDGE_ALLNEXT);
		anc = graph_walk(g, &d, 1, SM_EDGE_NORMDOWN);
		for (i = 0; i < filtered.n; i++)
		{
			above |= desc[filtered.v[i]];
			below |= anc[filtered.v[i]];
		}
		s = palloc0(sizeof(SmStampStep));
		s->to = d;
		if (above || below)
		{
			s->from.n = filtered.n;
			s->from.v = filtered.v;
			s->upgrade = !above;
			s->branch_move = false;
		}
		else
		{
			s->from.n = 0;
			s->upgrade = true;
			s->branch_move = true;
		}
		steps = lappend(steps, s);
	}
	foreach(lc, steps)
		h = apply_stamp_step(g, h, (SmStampStep *) lfirst(lc));
	return h;
}
