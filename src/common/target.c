/*-------------------------------------------------------------------------
 *
 * target.c
 *	  Resolution of revision targets over the revision graph, with
 *	  Alembic's semantics (RevisionMap.get_revisions, get_revision,
 *	  filter_for_lineage, _walk, _parse_upgrade_target,
 *	  _parse_downgrade_target) and the history range of "alembic history".
 *
 * Identifiers are looked up exactly among revision ids and branch labels
 * first; otherwise a unique prefix of more than three characters among
 * them (revision ids in registration order, then labels) is accepted.
 * Errors name the candidates.
 *
 * src/common/target.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"


#include "graph_int.h"
#include "target.h"

#define SM_TARGET_HINT \
	"A target is head, heads, base, a revision id or a unique prefix of at least four characters, " \
	"label@head, label@base, rev@head, +N, -N, rev+N, rev-N or label@+N."

void
target_parse_or_error(const char *text, SmTargetSyntax *out)
{
	const char *err = sm_target_parse(text, out);

	if (err != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid revision target \"%s\": %s", text ? text : "", err),
				 errhint(SM_TARGET_HINT)));
}

void
target_error_not_here(const char *target, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("relative target \"%s\" cannot be used %s", target, what),
			 errdetail("Only upgrade and downgrade resolve rev+N, rev-N, +N and label@+N; "
					   "elsewhere -N and label@-N count down from the heads.")));
}

static void
append_id_list(StringInfo buf, SmGraph *g, SmIdx s)
{
	int			i;

	for (i = 0; i < s.n; i++)
		appendStringInfo(buf, "%s\"%s\"", i > 0 ? ", " : "", g->revs[s.v[i]]->id);
}

static void
error_multiple_heads(SmGraph *g, SmIdx heads, const char *argument)
{
	StringInfoData buf;

	initStringInfo(&buf);
	append_id_list(&buf, g, heads);
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("several heads are present for target \"%s\"", argument),
			 errdetail("The heads are %s.", buf.data),
			 errhint("Name one revision, use \"<label>@head\" or \"<revision>@head\" to pick one line, "
					 "or \"heads\" for all of them.")));
}

static SmIdx
idx_from_list(List *l)
{
	SmIdx		r;
	ListCell   *lc;

	r.n = 0;
	r.v = palloc(sizeof(int) * Max(list_length(l), 1));
	foreach(lc, l)
		r.v[r.n++] = lfirst_int(lc);
	return r;
}

/*
 * prefix_candidates collects the revision ids, then the branch labels,
 * longer than three characters that start with "ident".
 */
static void
prefix_candidates(SmGraph *g, const char *ident, List **keys, List **idxs)
{
	size_t		len = strlen(ident);
	int			i;
	ListCell   *lc;

	*keys = NIL;
	*idxs = NIL;
	for (i = 0; i < g->n; i++)
	{
		const char *id = g->revs[i]->id;

		if (strlen(id) > 3 && strncmp(id, ident, len) == 0)
		{
			*keys = lappend(*keys, g->revs[i]->id);
			*idxs = lappend_int(*idxs, i);
		}
	}
	foreach(lc, g->label_keys)
	{
		const char *label = lfirst(lc);

		if (strlen(label) > 3 && strncmp(label, ident, len) == 0)
		{
			*keys = lappend(*keys, (char *) label);
			*idxs = lappend_int(*idxs, graph_label_index(g, label));
		}
	}
}

static int
exact_key(SmGraph *g, const char *ident)
{
	int			i = graph_index_of(g, ident);

	return i >= 0 ? i : graph_label_index(g, ident);
}

static int	resolve_branch(SmGraph *g, const char *name);

/*
 * target_revision_for_ident resolves one identifier (an id, a label or a
 * unique prefix) to a revision index; NULL means base (SM_WALK_NONE).
 * With check_branch, prefix candidates are limited to that branch's
 * lineage and the result must belong to it.
 */
int
target_revision_for_ident(SmGraph *g, const char *ident, const char *check_branch)
{
	int			branch_rev = -1;
	int			idx;

	if (check_branch)
		branch_rev = resolve_branch(g, check_branch);
	if (ident == NULL)
		return SM_WALK_NONE;

	idx = exact_key(g, ident);
	if (idx < 0)
	{
		List	   *keys;
		List	   *idxs;

		prefix_candidates(g, ident, &keys, &idxs);
		if (check_branch)
		{
			List	   *fk = NIL;
			List	   *fi = NIL;
			ListCell   *lk,
					   *li;

			forboth(lk, keys, li, idxs)
			{
				if (graph_shares_lineage(g, lfirst_int(li), &branch_rev, 1, false))
				{
					fk = lappend(fk, lfirst(lk));
					fi = lappend_int(fi, lfirst_int(li));
				}
			}
			keys = fk;
			idxs = fi;
		}
		if (keys == NIL)
		{
			if (strlen(ident) < 4)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_OBJECT),
						 errmsg("revision or branch label \"%s\" does not exist", ident),
						 errhint("Partial revision ids must have at least four characters.")));
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("revision or branch label \"%s\" does not exist", ident)));
		}
		if (list_length(keys) > 1)
		{
			StringInfoData buf;
			ListCell   *lc;
			int			shown = 0;

			initStringInfo(&buf);
			foreach(lc, keys)
			{
				if (shown == 20)
				{
					appendStringInfo(&buf, " and %d more", list_length(keys) - 20);
					break;
				}
				appendStringInfo(&buf, "%s\"%s\"", shown++ > 0 ? ", " : "",
								 (char *) lfirst(lc));
			}
			ereport(ERROR,
					(errcode(ERRCODE_AMBIGUOUS_ALIAS),
					 errmsg("revision prefix \"%s\" is ambiguous", ident),
					 errdetail("It matches %s.", buf.data),
					 errhint("Give more characters of the revision id.")));
		}
		idx = linitial_int(idxs);
	}
	if (check_branch && !graph_shares_lineage(g, idx, &branch_rev, 1, false))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("revision \"%s\" is not a member of branch \"%s\"",
						g->revs[idx]->id, check_branch)));
	return idx;
}

/*
 * resolve_branch: the revision declaring branch label "name", else the
 * revision "name" identifies (Alembic's _resolve_branch).
 */
static int
resolve_branch(SmGraph *g, const char *name)
{
	int			idx = exact_key(g, name);

	if (idx < 0)
	{
		List	   *keys;
		List	   *idxs;

		prefix_candidates(g, name, &keys, &idxs);
		if (keys == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("branch label or revision \"%s\" does not exist", name)));
		idx = target_revision_for_ident(g, name, NULL);
	}
	return idx;
}

int
target_resolve_branch(SmGraph *g, const char *name)
{
	return resolve_branch(g, name);
}

static List *resolve_number(SmGraph *g, const char *sym, const char *label);

/*
 * target_filter_for_lineage keeps the revisions of "targets" (indexes) that
 * are ancestors or descendants of what "check_against" names.
 */
SmIdx
target_filter_for_lineage(SmGraph *g, SmIdx targets, const char *check_against,
						  bool include_deps)
{
	SmTargetSyntax syn;
	List	   *ids;
	SmIdx		against;
	SmIdx		r;
	ListCell   *lc;
	int			i;

	target_parse_or_error(check_against, &syn);
	if (syn.relative)
		target_error_not_here(check_against, "to select a line");
	ids = resolve_number(g, syn.symbol, syn.has_label ? syn.label : NULL);
	against.n = 0;
	against.v = palloc(sizeof(int) * (list_length(ids) + 1));
	if (syn.has_label)
		against.v[against.n++] = target_revision_for_ident(g, syn.label, NULL);
	foreach(lc, ids)
		against.v[against.n++] = target_revision_for_ident(g, lfirst(lc), NULL);

	r.n = 0;
	r.v = palloc(sizeof(int) * Max(targets.n, 1));
	for (i = 0; i < targets.n; i++)
		if (graph_shares_lineage(g, targets.v[i], against.v, against.n, include_deps))
			r.v[r.n++] = targets.v[i];
	return r;
}

/* the single head (through down revisions) of "label"'s line, or -1 */
static int
current_head(SmGraph *g, const char *label)
{
	SmIdx		hs = g->heads;

	if (label)
		hs = target_filter_for_lineage(g, hs, label, false);
	if (hs.n > 1)
		error_multiple_heads(g, hs, label ? psprintf("%s@head", label) : "head");
	return hs.n ? hs.v[0] : -1;
}

/*
 * resolve_number: Alembic's _resolve_revision_number for symbol "sym" of a
 * target whose label part is "label": a List of identifiers (char *).
 */
static List *
resolve_number(SmGraph *g, const char *sym, const char *label)
{
	List	   *r = NIL;
	int			i;

	if (strcmp(sym, "heads") == 0)
	{
		SmIdx		hs = label ? target_filter_for_lineage(g, g->heads, label, false) : g->real_heads;

		for (i = 0; i < hs.n; i++)
			r = lappend(r, g->revs[hs.v[i]]->id);
		return r;
	}
	if (strcmp(sym, "head") == 0)
	{
		i = current_head(g, label);
		return i >= 0 ? list_make1(g->revs[i]->id) : NIL;
	}
	if (strcmp(sym, "base") == 0)
		return NIL;
	return list_make1(pstrdup(sym));
}

/* get_revision for symbol "sym" within "label" (may be NULL) */
static int
get_revision_parts(SmGraph *g, const char *sym, const char *label)
{
	List	   *ids = resolve_number(g, sym, label);

	if (list_length(ids) > 1)
	{
		SmIdx		hs;
		ListCell   *lc;

		hs.n = 0;
		hs.v = palloc(sizeof(int) * list_length(ids));
		foreach(lc, ids)
			hs.v[hs.n++] = graph_index_of(g, lfirst(lc));
		error_multiple_heads(g, hs, label ? psprintf("%s@%s", label, sym) : sym);
	}
	return target_revision_for_ident(g, ids ? linitial(ids) : NULL, label);
}

/* Alembic's get_revision: one revision (or SM_WALK_NONE for base) */
int
target_get_revision(SmGraph *g, const char *target)
{
	SmTargetSyntax syn;

	target_parse_or_error(target, &syn);
	if (syn.relative)
		target_error_not_here(target, "to name one revision");
	return get_revision_parts(g, syn.symbol, syn.has_label ? syn.label : NULL);
}

static SmIdx
single(int x)
{
	SmIdx		r;

	r.n = 1;
	r.v = palloc(sizeof(int));
	r.v[0] = x;
	return r;
}

/*
 * target_walk moves "steps" revisions up (> 0) or down (< 0) from "start"
 * (an index, SM_WALK_NONE for "before the bases" or SM_WALK_BASE), as
 * Alembic's _walk.  Walking up with "label" follows only that line.  Past
 * the end of the graph the result is SM_WALK_NONE when "no_overwalk", else
 * the last revision reached.  A fork on the way is an error.
 */
int
target_walk(SmGraph *g, int start, int steps, const char *label, bool no_overwalk)
{
	int			initial = start;
	int			todo = steps < 0 ? -steps : steps;

	while (todo-- > 0)
	{
		SmIdx		children;

		CHECK_FOR_INTERRUPTS();
		if (steps > 0)
		{
			if (initial == SM_WALK_BASE)
				elog(ERROR, "cannot walk up from base");
			children = initial == SM_WALK_NONE ? g->bases : SM_NODE(g, initial)->next;
			if (label)
				children = target_filter_for_lineage(g, children, label, false);
		}
		else
		{
			if (initial == SM_WALK_BASE)
				children.n = 0;
			else
			{
				children = initial == SM_WALK_NONE ? g->heads : SM_NODE(g, initial)->down;
				if (children.n == 0)
					children = single(SM_WALK_BASE);
			}
		}
		if (children.n == 0)
			return no_overwalk ? SM_WALK_NONE : initial;
		if (children.n > 1)
		{
			StringInfoData buf;

			initStringInfo(&buf);
			append_id_list(&buf, g, children);
			ereport(ERROR,
					(errcode(ERRCODE_AMBIGUOUS_ALIAS),
					 errmsg("relative step from %s%s%s is ambiguous",
							initial >= 0 ? "revision \"" : "",
							initial >= 0 ? g->revs[initial]->id : "base",
							initial >= 0 ? "\"" : ""),
					 errdetail("It could go to %s.", buf.data),
					 errhint("Name the revision to start from, or use \"<label>@+N\".")));
		}
		initial = children.v[0];
	}
	return initial;
}

/*
 * target_get_revisions: Alembic's get_revisions for one target; a List of
 * int (indexes, SM_WALK_NONE or SM_WALK_BASE).
 */
List *
target_get_revisions(SmGraph *g, const char *target)
{
	SmTargetSyntax syn;
	const char *label;
	List	   *r = NIL;
	ListCell   *lc;
	int			i;

	target_parse_or_error(target, &syn);
	label = syn.has_label ? syn.label : NULL;
	if (syn.relative)
	{
		if (syn.has_symbol || syn.steps >= 0)
			target_error_not_here(target, "to name revisions");
		for (i = 0; i < g->real_heads.n; i++)
		{
			int			h = g->real_heads.v[i];

			if (label && !graph_has_label(g, h, label))
				continue;
			r = lappend_int(r, target_walk(g, h, syn.steps, NULL, true));
		}
		return r;
	}
	foreach(lc, resolve_number(g, syn.symbol, label))
		r = lappend_int(r, target_revision_for_ident(g, lfirst(lc), label));
	return r;
}

/* target_resolve: the revisions "target" names, as SmRevision * (NULL: base) */
List *
target_resolve(SmGraph *g, const char *target)
{
	List	   *r = NIL;
	ListCell   *lc;

	foreach(lc, target_get_revisions(g, target))
		r = lappend(r, lfirst_int(lc) >= 0 ? g->revs[lfirst_int(lc)] : NULL);
	return r;
}

/* concatenated get_revisions of several targets */
static List *
get_revisions_list(SmGraph *g, List *targets)
{
	List	   *r = NIL;
	ListCell   *lc;

	foreach(lc, targets)
		r = list_concat(r, target_get_revisions(g, lfirst(lc)));
	return r;
}

static void
error_relative_short(const char *target, int steps)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("relative target \"%s\" does not lead to %d revision%s from here",
					target, Abs(steps), Abs(steps) == 1 ? "" : "s"),
			 errdetail("The history is shorter than that in this direction.")));
}

/*
 * target_parse_upgrade: the revisions an upgrade to "target" aims at, from
 * the state "current" (List of char *: ids or targets), as Alembic's
 * _parse_upgrade_target.  List of int; may hold SM_WALK_NONE/SM_WALK_BASE
 * for walks that end outside the graph.
 */
List *
target_parse_upgrade(SmGraph *g, List *current, const char *target, bool no_overwalk)
{
	SmTargetSyntax syn;
	const char *label;
	int			rev;

	target_parse_or_error(target, &syn);
	if (!syn.relative)
		return target_get_revisions(g, target);
	label = syn.has_label ? syn.label : NULL;
	if (syn.steps > 0)
	{
		if (!syn.has_symbol)
		{
			int			start;

			if (label)
			{
				List	   *revs = NIL;
				SmIdx		cand;
				SmIdx		starts;
				ListCell   *lc;

				foreach(lc, get_revisions_list(g, current))
					if (lfirst_int(lc) >= 0)
						revs = lappend_int(revs, lfirst_int(lc));
				cand = idx_from_list(revs);
				starts = target_filter_for_lineage(g, cand, label, false);
				if (starts.n == 0)
				{
					/* the line is not at a head: find its tips below the heads */
					bool	   *anc = graph_walk(g, cand.v, cand.n, SM_EDGE_NORMDOWN);
					bool	   *below = palloc0(sizeof(bool) * Max(g->n, 1));
					SmIdx		all;
					SmIdx		active;
					int			i,
								k;

					all.n = 0;
					all.v = palloc(sizeof(int) * Max(g->n, 1));
					for (i = 0; i < g->n; i++)
						if (anc[i])
							all.v[all.n++] = i;
					active = target_filter_for_lineage(g, all, label, false);
					for (i = 0; i < active.n; i++)
					{
						SmIdx		d = SM_NODE(g, active.v[i])->normdown;

						for (k = 0; k < d.n; k++)
							below[d.v[k]] = true;
					}
					starts.n = 0;
					for (i = 0; i < active.n; i++)
						if (!below[active.v[i]])
							starts.v[starts.n++] = active.v[i];
					if (starts.n == 0)
						starts = single(SM_WALK_NONE);
				}
				if (starts.n > 1)
					ereport(ERROR,
							(errcode(ERRCODE_AMBIGUOUS_ALIAS),
							 errmsg("relative upgrade \"%s\" is ambiguous from several current revisions", target)));
				start = starts.v[0];
			}
			else
			{
				if (list_length(current) > 1)
					ereport(ERROR,
							(errcode(ERRCODE_AMBIGUOUS_ALIAS),
							 errmsg("relative upgrade \"%s\" is ambiguous from several current revisions", target),
							 errhint("Use \"<label>@+N\" or \"<revision>+N\".")));
				start = current == NIL ? SM_WALK_NONE : target_get_revision(g, linitial(current));
			}
			rev = target_walk(g, start, syn.steps, label, no_overwalk);
			if (rev == SM_WALK_NONE)
				error_relative_short(target, syn.steps);
			return list_make1_int(rev);
		}
		return list_make1_int(target_walk(g, get_revision_parts(g, syn.symbol, NULL),
										  syn.steps, label, no_overwalk));
	}
	if (!syn.has_symbol)
		error_relative_short(target, syn.steps);
	return list_make1_int(target_walk(g, get_revision_parts(g, syn.symbol, label),
									  syn.steps, NULL, no_overwalk));
}

/*
 * target_parse_downgrade: the revision a downgrade to "target" goes back to
 * (SM_WALK_NONE: base), from the state "current" (List of char *), as
 * Alembic's _parse_downgrade_target.  *branch_label receives the line the
 * target restricts the downgrade to, or NULL.  Without
 * assert_relative_length (history ranges), a relative walk that runs past
 * the base stops there, as Alembic's does since 0.7.
 */
int
target_parse_downgrade(SmGraph *g, List *current, const char *target,
					   char **branch_label, bool assert_relative_length)
{
	SmTargetSyntax syn;
	char	   *label;
	int			rev;

	target_parse_or_error(target, &syn);
	label = syn.has_label ? pstrdup(syn.label) : NULL;
	*branch_label = label;
	if (!syn.relative)
		return get_revision_parts(g, syn.symbol, NULL);
	if (syn.steps >= 0)
	{
		if (!syn.has_symbol)
			error_relative_short(target, syn.steps);
		rev = target_walk(g, get_revision_parts(g, syn.symbol, NULL), syn.steps, label, assert_relative_length);
		if (rev == SM_WALK_NONE)
			error_relative_short(target, syn.steps);
		return rev;
	}
	else
	{
		const char *sym = syn.symbol;

		if (!syn.has_symbol)
		{
			if (label)
			{
				SmIdx		cur;
				SmIdx		sel;
				ListCell   *lc;

				cur.n = 0;
				cur.v = palloc(sizeof(int) * Max(list_length(current), 1));
				foreach(lc, current)
					cur.v[cur.n++] = target_revision_for_ident(g, lfirst(lc), NULL);
				sel = target_filter_for_lineage(g, cur, label, false);
				if (sel.n == 0)
				{
					/* tips of everything applied, then that line's one */
					bool	   *all = graph_walk(g, cur.v, cur.n, SM_EDGE_NORMDOWN);
					bool	   *below;
					SmIdx		starts;
					SmIdx		tips;
					int			i,
								k;

					starts.n = 0;
					starts.v = palloc(sizeof(int) * Max(g->n, 1));
					for (i = 0; i < g->n; i++)
					{
						if (!all[i])
							continue;
						for (k = 0; k < SM_NODE(g, i)->down.n; k++)
							starts.v[starts.n++] = SM_NODE(g, i)->down.v[k];
					}
					below = graph_walk(g, starts.v, starts.n, SM_EDGE_DOWN);
					tips.n = 0;
					tips.v = palloc(sizeof(int) * Max(g->n, 1));
					for (i = 0; i < g->n; i++)
						if (all[i] && !below[i])
							tips.v[tips.n++] = i;
					sel = target_filter_for_lineage(g, tips, label, false);
				}
				if (sel.n != 1)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("relative downgrade \"%s\" does not select exactly one current revision of branch \"%s\"",
									target, label)));
				sym = g->revs[sel.v[0]]->id;
			}
			else
			{
				if (current == NIL)
					error_relative_short(target, syn.steps);
				if (list_length(current) > 1)
					ereport(WARNING,
							(errmsg("downgrade \"%s\" from several heads is ambiguous; counting from \"%s\"",
									target, (char *) linitial(current)),
							 errhint("Use \"<label>@-N\" or \"<revision>-N\".")));
				sym = linitial(current);
				label = pstrdup(sym);
				*branch_label = label;
			}
		}
		rev = target_walk(g, get_revision_parts(g, sym, label), syn.steps, NULL, assert_relative_length);
		if (rev == SM_WALK_NONE)
			error_relative_short(target, syn.steps);
		return rev;
	}
}

/* one side of a history range: the version heads for "current" */
static List *
range_side(const char *side, const char *dflt, List *current, bool *is_list)
{
	*is_list = false;
	if (side[0] == '\0')
		return list_make1(pstrdup(dflt));
	if (strcmp(side, "current") == 0)
	{
		*is_list = true;
		return current;
	}
	return list_make1(pstrdup(side));
}

/*
 * target_history: Alembic's walk_revisions(lower, upper) behind "alembic
 * history -r lower:upper": the revisions from lower (included) up to upper,
 * newest first.  A label@... lower limits the answer to that line.
 */
List *
target_history(SmGraph *g, const char *range, List *current)
{
	char		lower_s[SM_TARGET_MAX_LEN + 1];
	char		upper_s[SM_TARGET_MAX_LEN + 1];
	List	   *lower;
	List	   *upper;
	bool		lower_is_list;
	bool		upper_is_list;
	List	   *tl;
	SmIdx		targets;
	List	   *curl;
	SmIdx		cur;
	bool	   *required;
	bool	   *applied;
	List	   *order;
	List	   *result = NIL;
	ListCell   *lc;
	int			i;

	if (range == NULL)
	{
		lower_s[0] = upper_s[0] = '\0';
	}
	else
	{
		const char *err = sm_range_split(range, lower_s, upper_s);

		if (err)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid history range \"%s\": %s", range, err),
					 errhint("A range is [start]:[end], [start]: or :[end], each side a revision target or \"current\".")));
	}
	lower = range_side(lower_s, "base", current, &lower_is_list);
	upper = range_side(upper_s, "heads", current, &upper_is_list);

	/* upper: what the range reaches */
	if (upper_is_list)
	{
		tl = NIL;
		foreach(lc, upper)
			tl = list_concat(tl, target_get_revisions(g, lfirst(lc)));
	}
	else
		tl = target_parse_upgrade(g, lower, linitial(upper), false);
	targets.n = 0;
	targets.v = palloc(sizeof(int) * Max(list_length(tl), 1));
	foreach(lc, tl)
	{
		if (lfirst_int(lc) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("end of history range \"%s\" is outside the history", range)));
		targets.v[targets.n++] = lfirst_int(lc);
	}

	/* a label@... start limits the range to that line */
	if (!lower_is_list && strchr((char *) linitial(lower), '@') != NULL)
	{
		char	   *branch = pstrdup(linitial(lower));
		int			br;
		int			k = 0;

		*strchr(branch, '@') = '\0';
		br = target_get_revision(g, branch);
		if (br >= 0 && strcmp(g->revs[br]->id, branch) == 0)
		{
			List	   *labels = SM_NODE(g, br)->eff_labels;

			if (list_length(labels) != 1)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("revision \"%s\" does not belong to exactly one branch label", branch)));
			branch = linitial(labels);
		}
		for (i = 0; i < targets.n; i++)
			if (graph_has_label(g, targets.v[i], branch))
				targets.v[k++] = targets.v[i];
		targets.n = k;
	}
	graph_check_overlap(g, targets);
	required = graph_walk(g, targets.v, targets.n, SM_EDGE_NORMDOWN);

	/* lower: where the range starts */
	curl = NIL;
	foreach(lc, lower)
		curl = list_concat(curl, target_get_revisions(g, lfirst(lc)));
	if (curl != NIL && linitial_int(curl) == SM_WALK_NONE && !lower_is_list)
	{
		/* a relative start that ran off the graph, as Alembic re-reads it */
		char	   *label;
		int			r = target_parse_downgrade(g, upper, linitial(lower), &label, false);

		curl = (r == SM_WALK_BASE || r == SM_WALK_NONE) ? NIL : list_make1_int(r);
	}
	cur.n = 0;
	cur.v = palloc(sizeof(int) * Max(list_length(curl), 1));
	foreach(lc, curl)
	{
		int			c = lfirst_int(lc);

		if (c < 0 || !required[c])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("start of history range \"%s\" is not an ancestor of its end",
							range ? range : ""),
					 c >= 0 ? errdetail("Revision \"%s\" is not below the end of the range.",
										g->revs[c]->id) : 0));
		cur.v[cur.n++] = c;
	}
	graph_check_overlap(g, cur);
	applied = graph_walk(g, cur.v, cur.n, SM_EDGE_NORMDOWN);
	for (i = 0; i < g->n; i++)
		required[i] = required[i] && !applied[i];
	for (i = 0; i < cur.n; i++)
		required[cur.v[i]] = true;
	if (cur.n > 0)
	{
		bool	   *desc = graph_walk(g, cur.v, cur.n, SM_EDGE_NEXT);

		for (i = 0; i < g->n; i++)
			required[i] = required[i] && desc[i];
	}
	/*
	 * Every revision of the range must hang below its end through down
	 * revisions (normalized), or no order exists: a start below the end only
	 * through depends_on (Alembic fails an assertion there).  Refuse it by
	 * name instead of failing inside the sort.
	 */
	{
		bool	   *reach = palloc0(sizeof(bool) * Max(g->n, 1));
		int		   *stack = palloc(sizeof(int) * Max(g->n, 1));
		int			top = 0;

		for (i = 0; i < targets.n; i++)
			if (required[targets.v[i]] && !reach[targets.v[i]])
			{
				reach[targets.v[i]] = true;
				stack[top++] = targets.v[i];
			}
		while (top > 0)
		{
			SmRevNode  *node = SM_NODE(g, stack[--top]);
			int			k;

			for (k = 0; k < node->normdown.n; k++)
			{
				int			u = node->normdown.v[k];

				if (required[u] && !reach[u])
				{
					reach[u] = true;
					stack[top++] = u;
				}
			}
		}
		for (i = 0; i < g->n; i++)
			if (required[i] && !reach[i])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("history range \"%s\" cannot be ordered", range ? range : ""),
						 errdetail("Revision \"%s\" lies below the end of the range only through depends_on, not through down revisions.",
								   g->revs[i]->id),
						 errhint("Start the range at a revision that its end builds on through down revisions.")));
		pfree(reach);
		pfree(stack);
	}
	order = graph_topological_sort(g, required, targets.v, targets.n);
	foreach(lc, order)
		result = lappend(result, g->revs[lfirst_int(lc)]);
	return result;
}

/*
 * target_show: the revisions "target" names, as SmRevision *, without the
 * symbolic base (what show() lists).
 */
List *
target_show(SmGraph *g, const char *target)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, target_resolve(g, target))
		if (lfirst(lc) != NULL)
			result = lappend(result, lfirst(lc));
	return result;
}

/* target_branch_points: the branch points, newest first (Alembic's "branches") */
List *
target_branch_points(SmGraph *g)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, target_history(g, NULL, NIL))
		if (graph_is_branch_point(g, lfirst(lc)))
			result = lappend(result, lfirst(lc));
	return result;
}
