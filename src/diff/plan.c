/*-------------------------------------------------------------------------
 *
 * plan.c
 *	  Compare two models (live "from", desired "to") and produce the steps
 *	  that take one to the other, each with its exact inverse.
 *
 * Every key of either model gets an entry that is classified: dropped,
 * created, altered in place, or rebuilt (dropped and created again) where
 * PostgreSQL has no ALTER.  A closure over the live dependencies then
 * rebuilds whatever depends on a rebuilt object (and the views, policies,
 * triggers and functions over a column whose type changes; enum, domain
 * and composite types are rebuilt by renaming the old type aside).  The
 * entries become actions; children dropped with their table (or created
 * with it) are folded into the table's action.  plan_order.c sorts the
 * actions by the dependencies of both models.
 *
 * src/diff/plan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "diff.h"
#include "plan_int.h"

static bool
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
list_streq(List *a, List *b)
{
	ListCell   *la,
			   *lb;

	if (list_length(a) != list_length(b))
		return false;
	forboth(la, a, lb, b)
	{
		if (strcmp((char *) lfirst(la), (char *) lfirst(lb)) != 0)
			return false;
	}
	return true;
}

PEnt *
plan_find(Planner *p, const char *key)
{
	return hash_search(p->entries, &key, HASH_FIND, NULL);
}

PEnt *
plan_entry(Planner *p, const char *key)
{
	PEnt	   *e;
	bool		found;

	e = hash_search(p->entries, &key, HASH_ENTER, &found);
	if (!found)
	{
		memset(((char *) e) + sizeof(e->key), 0, sizeof(PEnt) - sizeof(e->key));
		e->from = diff_lookup(p->from, key);
		e->to = diff_lookup(p->to, key);
		p->all = lappend(p->all, e);
	}
	return e;
}

void
plan_step(Action *a, const char *up, const char *down, const char *hazard)
{
	DiffStep   *s = palloc0(sizeof(DiffStep));

	s->upgrade = pstrdup(up);
	s->downgrade = down ? pstrdup(down) : NULL;
	s->hazard = hazard && hazard[0] ? pstrdup(hazard) : NULL;
	a->steps = lappend(a->steps, s);
}

Action *
plan_new_action(Planner *p, PEnt *e, int phase)
{
	Action	   *a = palloc0(sizeof(Action));
	DiffObj    *o = e->to ? e->to : e->from;

	a->phase = phase;
	a->kind = o->kind;
	a->seq = list_length(p->actions);
	a->ent = e;
	p->actions = lappend(p->actions, a);
	return a;
}

static bool
attrs_differ(DiffObj *f, DiffObj *t)
{
	return !streq(f->comment, t->comment) || !list_streq(f->grants, t->grants);
}

/* is "old" an in-order subsequence of "new" (enum values only added)? */
static bool
labels_added_only(List *old, List *new)
{
	ListCell   *lo = list_head(old);
	ListCell   *ln;

	foreach(ln, new)
	{
		if (lo && strcmp((char *) lfirst(lo), (char *) lfirst(ln)) == 0)
			lo = lnext(old, lo);
	}
	return lo == NULL;
}

/* does anything but a column depend on type t in model m? */
static bool
used_by_expressions(DiffModel *m, DiffObj *t)
{
	ListCell   *lc;

	foreach(lc, t->rdeps)
	{
		DiffObj    *d = diff_lookup(m, (char *) lfirst(lc));

		if (d && d->kind != DK_COLUMN)
			return true;
	}
	return false;
}

static bool
list_is_prefix(List *pre, List *l)
{
	ListCell   *a,
			   *b;

	if (list_length(pre) > list_length(l))
		return false;
	forboth(a, pre, b, l)
	{
		if (strcmp((char *) lfirst(a), (char *) lfirst(b)) != 0)
			return false;
	}
	return true;
}

/*
 * classify_apart: an object inherited in one schema and one of its own
 * under the same name in the other (a partition's index attached to its
 * parent's, a plain table's own index of that name) are two objects when
 * the table of the inherited one is dropped or rebuilt (or created): that
 * one comes and goes with its table, the other is created (or dropped).  A
 * default of a column that stays takes the other schema's expression.
 * Run once the rebuilds have spread (closure); true if it makes e a drop.
 */
static bool
classify_apart(Planner *p, PEnt *e)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;
	PEnt	   *tab;

	if (f == NULL || t == NULL || f->inherited == t->inherited)
		return false;
	if (f->kind == DK_DEFAULT)
	{
		/* a column's own default the desired schema has from its parent */
		PEnt	   *col = plan_find(p, f->parent);

		if (col && !col->drop && !col->rebuild && !streq(f->def, t->def))
			e->alter = true;
		return false;
	}
	tab = plan_find(p, f->inherited ? f->parent : t->parent);
	if (tab == NULL)
		return false;
	if (f->inherited && (tab->drop || tab->rebuild))
		e->create = true;
	else if (t->inherited && (tab->create || tab->rebuild))
	{
		e->drop = true;
		return true;
	}
	return false;
}

/* classify: what an entry needs */
static void
classify(Planner *p, PEnt *e)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;

	if ((f && f->inherited) || (t && t->inherited))
		return;
	if (f && !t)
	{
		e->drop = true;
		if (f->kind == DK_COLUMN)
		{
			PEnt	   *tab = plan_entry(p, f->parent);

			if (tab->from && tab->from->partkey && tab->to &&
				strstr(tab->from->partkey, quote_identifier(f->name)))
				tab->rebuild = true, tab->alter = false;
		}
		return;
	}
	if (t && !f)
	{
		e->create = true;
		return;
	}
	switch (f->kind)
	{
		case DK_TABLE:
			if (f->subkind != t->subkind || !streq(f->partkey, t->partkey) ||
				(f->partof && t->partof && !streq(f->partof, t->partof)))
				e->rebuild = true;
			else if (f->persistence != t->persistence || !streq(f->partof, t->partof) ||
					 !streq(f->bound, t->bound) || !list_streq(f->inherits, t->inherits) ||
					 f->rls != t->rls || f->forcerls != t->forcerls ||
					 !streq(f->options, t->options) || f->replident != t->replident ||
					 !streq(f->replindex, t->replindex) || attrs_differ(f, t))
				e->alter = true;
			break;
		case DK_COLUMN:
			if (f->generated != t->generated || !streq(f->genexpr, t->genexpr))
				e->rebuild = true;
			else
			{
				e->typechange = !streq(f->type, t->type) || !streq(f->collation, t->collation);
				if (e->typechange || f->notnull != t->notnull || f->identity != t->identity ||
					!streq(f->idopts, t->idopts) || attrs_differ(f, t))
					e->alter = true;
			}
			break;
		case DK_CONSTRAINT:
			if ((!streq(f->def, t->def) && !streq(f->def, t->altdef)) || (f->validated && !t->validated))
				e->rebuild = true;
			else if (f->validated != t->validated || attrs_differ(f, t))
				e->alter = true;
			break;
		case DK_INDEX:
		case DK_POLICY:
			if (!streq(f->def, t->def))
				e->rebuild = true;
			else if (attrs_differ(f, t))
				e->alter = true;
			break;
		case DK_VIEW:
			if (!streq(f->def, t->def) || !streq(f->options, t->options) || f->subkind != t->subkind)
				e->rebuild = true;
			else if (attrs_differ(f, t))
				e->alter = true;
			break;
		case DK_TRIGGER:
			if (!streq(f->def, t->def))
				e->rebuild = true;
			else if (f->subkind != t->subkind || attrs_differ(f, t))
				e->alter = true;
			break;
		case DK_FUNCTION:
			if (!streq(f->def, t->def))
			{
				if (streq(f->args, t->args) && streq(f->result, t->result) && f->subkind == t->subkind)
					e->alter = true;
				else
					e->rebuild = true;
			}
			else if (attrs_differ(f, t))
				e->alter = true;
			break;
		case DK_TYPE:
			if (!streq(f->def, t->def))
			{
				e->alter = true;
				if (f->subkind != t->subkind)
					e->dance = true;
				else if (f->subkind == 'e')
				{
					/*
					 * Added values need no rebuild (the downgrade does), unless
					 * an expression of the desired schema (a default, a check,
					 * a view) may use them: PostgreSQL refuses a value added
					 * in the same transaction, not one of a type created in it.
					 */
					e->dance = !labels_added_only(f->labels, t->labels) ||
						used_by_expressions(p->to, t);
					e->closure = true;
				}
				else if (f->subkind == 'd')
					e->dance = !streq(f->base, t->base) || !streq(f->collation, t->collation);
				else if (f->subkind == 'c')
					e->dance = !list_is_prefix(f->labels, t->labels);
				else
					e->dance = true;
			}
			else if (attrs_differ(f, t))
				e->alter = true;
			break;
		case DK_SCHEMA:
			if (attrs_differ(f, t))
				e->alter = true;
			break;
		default:
			/* sequences, defaults, owners, extensions */
			if (!streq(f->def, t->def) || attrs_differ(f, t))
				e->alter = true;
			break;
	}
}

/*
 * A foreign key over column "col" whose other columns' types change too
 * (both sides of bigint -> timestamp): PostgreSQL re-adds it after each
 * ALTER COLUMN TYPE, and the first one leaves the two sides incompatible, so
 * it is dropped before and created after the type changes.  With one side
 * changing PostgreSQL re-adds it itself.
 */
static bool
fk_both_sides_change(Planner *p, DiffObj *k, PEnt *col)
{
	ListCell   *lc;

	if (k->subkind != 'f')
		return false;
	foreach(lc, k->deps)
	{
		PEnt	   *c = plan_find(p, (char *) lfirst(lc));

		if (c && c != col && c->typechange)
			return true;
	}
	return false;
}

/*
 * closure: rebuild what depends on rebuilt objects.  mode 0: e is dropped
 * or rebuilt; 1: e is a column whose type changes; 2: e is a type renamed
 * aside (its columns are converted in place).
 */
static void
closure(Planner *p, PEnt *e, int mode)
{
	ListCell   *lc;

	List	   *rdeps;

	if (e->from == NULL)
		return;
	rdeps = e->from->rdeps;
	if (mode == 1)
	{
		/* functions taking or returning the table's row type block ALTER TYPE */
		DiffObj    *t = diff_lookup(p->from, e->from->parent);

		if (t)
			foreach(lc, t->rdeps)
			{
				DiffObj    *d = diff_lookup(p->from, (char *) lfirst(lc));

				if (d && d->kind == DK_FUNCTION)
					rdeps = lappend(list_copy(rdeps), d->key);
			}
	}
	foreach(lc, rdeps)
	{
		PEnt	   *d = plan_entry(p, (char *) lfirst(lc));

		if (d->to == NULL || d->drop || d->rebuild || d->dance)
			continue;
		if ((d->from && d->from->inherited) || d->to->inherited)
			continue;
		if (mode == 1 && (d->from->kind == DK_INDEX || d->from->kind == DK_SEQOWNER ||
						  (d->from->kind == DK_CONSTRAINT && !fk_both_sides_change(p, d->from, e))))
			continue;
		if (mode == 2 && d->from->kind == DK_COLUMN)
		{
			if (!list_member_ptr(e->dancecols, d))
			{
				e->dancecols = lappend(e->dancecols, d);
				closure(p, d, 1);
			}
			continue;
		}
		if (d->from->kind == DK_TYPE)
		{
			d->alter = d->dance = true;
			closure(p, d, 2);
			continue;
		}
		d->rebuild = true;
		d->alter = false;
		closure(p, d, 0);
	}
}

/* the entry whose drop takes e's object with it, or NULL */
static PEnt *
drop_owner(Planner *p, PEnt *e)
{
	DiffObj    *f = e->from;
	PEnt	   *o;

	switch (f->kind)
	{
		case DK_CONSTRAINT:
			/* a foreign key goes on its own: tables may reference each other */
			if (f->subkind == 'f')
				return NULL;
			/* FALLTHROUGH */
		case DK_COLUMN:
		case DK_INDEX:
		case DK_TRIGGER:
		case DK_POLICY:
		case DK_DEFAULT:
			o = plan_entry(p, f->parent);
			if ((o->drop || o->rebuild) && o->from && o->from->kind != DK_VIEW)
				return o;
			if (f->kind == DK_INDEX && (o->drop || o->rebuild))
				return o;
			if (f->kind == DK_DEFAULT)
			{
				/* a column's default goes with its table too */
				PEnt	   *t = plan_entry(p, o->from ? o->from->parent : f->table);

				if (o->from && (t->drop || t->rebuild))
					return t;
			}
			return NULL;
		case DK_SEQOWNER:
			/* a sequence that stays must be released before its owner goes */
			o = plan_entry(p, f->parent);
			if (o->drop || o->rebuild)
				return o;
			return NULL;
		case DK_SEQUENCE:
			{
				/* OWNED BY: dropped with its column */
				DiffObj    *ow = diff_lookup(p->from, psprintf("o:%s", f->qname));

				if (ow)
				{
					o = plan_entry(p, psprintf("c:%s", ow->def));
					if (o->drop || o->rebuild)
						return o;
				}
			}
			return NULL;
		default:
			return NULL;
	}
}

static Action *
get_drop(Planner *p, PEnt *e)
{
	PEnt	   *owner;
	Action	   *a;

	if (e->dropact)
		return e->dropact;
	owner = drop_owner(p, e);
	if (owner)
	{
		a = get_drop(p, owner);
		a->folded = lappend(a->folded, e->from);
		e->dropact = a;
		return a;
	}
	a = plan_new_action(p, e, 0);
	a->kind = e->from->kind;
	e->dropact = a;
	return a;
}

static Action *
get_create(Planner *p, PEnt *e)
{
	Action	   *a;
	DiffObj    *t = e->to;

	if (e->createact)
		return e->createact;
	if (t->kind == DK_COLUMN || t->kind == DK_DEFAULT)
	{
		PEnt	   *o = plan_entry(p, t->parent);

		if ((o->create || o->rebuild) &&
			(o->to->kind == DK_TABLE || o->to->kind == DK_COLUMN))
		{
			a = get_create(p, o);
			e->createact = a;
			return a;
		}
	}
	a = plan_new_action(p, e, 2);
	e->createact = a;
	return a;
}

static int
list_sort_cmp_str(const ListCell *a, const ListCell *b)
{
	return strcmp((char *) lfirst(a), (char *) lfirst(b));
}

/* "name type" of every column of table t in model m, sorted */
static char *
column_signature(DiffModel *m, DiffObj *t)
{
	List	   *cols = NIL;
	ListCell   *lc;
	StringInfoData buf;

	foreach(lc, t->rdeps)
	{
		DiffObj    *c = diff_lookup(m, (char *) lfirst(lc));

		if (c && c->kind == DK_COLUMN && strcmp(c->parent, t->key) == 0)
			cols = lappend(cols, psprintf("%s %s", quote_identifier(c->name), c->type));
	}
	list_sort(cols, list_sort_cmp_str);
	initStringInfo(&buf);
	foreach(lc, cols)
		appendStringInfo(&buf, "%s,", (char *) lfirst(lc));
	return buf.data;
}

static void
add_hazard(Action *a, const char *h)
{
	DiffStep   *s;

	if (a == NULL || a->steps == NIL)
		return;
	s = linitial(a->steps);
	s->hazard = s->hazard ? psprintf("%s, %s", s->hazard, h) : pstrdup(h);
}

/*
 * POSSIBLE_RENAME: a dropped and an added table of the same schema with the
 * same columns, or a dropped and an added column of the same type in one
 * table; a rename hint would keep the data.
 */
static void
possible_renames(Planner *p, List *ents)
{
	ListCell   *la,
			   *lb;

	foreach(la, ents)
	{
		PEnt	   *d = lfirst(la);

		if (!d->drop || d->dropact == NULL || d->dropact->ent != d)
			continue;
		if (d->from->kind != DK_TABLE && d->from->kind != DK_COLUMN)
			continue;
		foreach(lb, ents)
		{
			PEnt	   *c = lfirst(lb);
			bool		alike;

			if (!c->create || c->createact == NULL || c->createact->ent != c ||
				c->to->kind != d->from->kind)
				continue;
			if (d->from->kind == DK_TABLE)
				alike = strcmp(d->from->schema, c->to->schema) == 0 &&
					strcmp(column_signature(p->from, d->from), column_signature(p->to, c->to)) == 0;
			else
				alike = strcmp(d->from->parent, c->to->parent) == 0 &&
					strcmp(d->from->type, c->to->type) == 0;
			if (alike)
			{
				char	   *h = psprintf("POSSIBLE_RENAME (%s to %s: -- schemamig:rename %s %s%s %s)",
										 d->from->name, c->to->name,
										 d->from->kind == DK_TABLE ? "table" : "column",
										 d->from->kind == DK_COLUMN ? psprintf("%s.", d->from->table) : "",
										 d->from->kind == DK_TABLE ? d->from->qname : quote_identifier(d->from->name),
										 quote_identifier(c->to->name));

				add_hazard(d->dropact, h);
				add_hazard(c->createact, h);
			}
		}
	}
}

static int
ent_cmp(const ListCell *a, const ListCell *b)
{
	PEnt	   *ea = lfirst(a);
	PEnt	   *eb = lfirst(b);
	DiffObj    *oa = ea->to ? ea->to : ea->from;
	DiffObj    *ob = eb->to ? eb->to : eb->from;

	if (oa->kind != ob->kind)
		return oa->kind < ob->kind ? -1 : 1;
	return strcmp(ea->key, eb->key);
}

/*
 * diff_plan: the steps (List of DiffStep) from model "from" to model "to".
 * Data checks run against the current database, which must be the live
 * state "from" describes.
 */
List *
diff_plan(DiffModel *from, DiffModel *to)
{
	Planner		p;
	HASHCTL		ctl;
	ListCell   *lc;
	List	   *ents;

	memset(&p, 0, sizeof(p));
	p.from = from;
	p.to = to;
	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(PEnt);
	ctl.hash = diff_key_hash;
	ctl.match = diff_key_match;
	ctl.hcxt = CurrentMemoryContext;
	p.entries = hash_create("schemamig diff plan", 1024, &ctl,
							HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	foreach(lc, from->objs)
		(void) plan_entry(&p, ((DiffObj *) lfirst(lc))->key);
	foreach(lc, to->objs)
		(void) plan_entry(&p, ((DiffObj *) lfirst(lc))->key);
	ents = list_copy(p.all);
	list_sort(ents, ent_cmp);

	plan_partition_prepare(&p);
	foreach(lc, ents)
		classify(&p, lfirst(lc));
	foreach(lc, ents)
		plan_partition_classify(&p, lfirst(lc));
	foreach(lc, ents)
	{
		PEnt	   *e = lfirst(lc);

		if (e->drop || e->rebuild)
			closure(&p, e, 0);
		else if (e->dance)
			closure(&p, e, 2);
		else if (e->typechange)
			closure(&p, e, 1);
		else if (e->closure)
			closure(&p, e, 2);
	}
	foreach(lc, ents)
	{
		PEnt	   *e = lfirst(lc);

		if (classify_apart(&p, e))
			closure(&p, e, 0);
	}
	/* a rebuilt type is renamed aside, never dropped */
	foreach(lc, ents)
	{
		PEnt	   *e = lfirst(lc);

		if (e->rebuild && e->from->kind == DK_TYPE)
		{
			e->rebuild = false;
			e->alter = e->dance = true;
		}
	}

	/* actions */
	foreach(lc, ents)
	{
		PEnt	   *e = lfirst(lc);

		if (e->drop || e->rebuild)
			(void) get_drop(&p, e);
	}
	foreach(lc, ents)
	{
		PEnt	   *e = lfirst(lc);

		if (e->create || e->rebuild)
		{
			(void) get_create(&p, e);
			if (e->to->kind == DK_TABLE && e->to->replident == 'i')
				plan_replident_step(&p, e);
		}
		if (e->alter)
		{
			e->alteract = plan_new_action(&p, e, 1);
			plan_alter_steps(&p, e, e->alteract);
			if (e->attach)
				plan_partition_attach(&p, e, e->alteract);
		}
	}
	/* columns converted by a type's rebuild move with it */
	foreach(lc, ents)
	{
		PEnt	   *e = lfirst(lc);
		ListCell   *lc2;

		foreach(lc2, e->dancecols)
		{
			PEnt	   *c = lfirst(lc2);

			if (c->alteract == NULL)
				c->alteract = e->alteract;
		}
	}
	plan_fill_steps(&p);
	possible_renames(&p, ents);
	return plan_order(&p);
}
