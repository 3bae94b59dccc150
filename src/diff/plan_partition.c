/*-------------------------------------------------------------------------
 *
 * plan_partition.c
 *	  Partitioned tables: the indexes and keys of a partitioned table with
 *	  the partitions' indexes attached to them, and the NOT NULL of a
 *	  partition's (inherited) columns.
 *
 * A partitioned index or key ("P") is created the way pg_dump does it:
 * the partitions' indexes of the desired schema first, under their own
 * names (a partition's key with ALTER TABLE ... ADD CONSTRAINT), except
 * those that already exist unattached, then P on the parent only
 * (CREATE INDEX ... ON ONLY, ALTER TABLE ONLY ... ADD CONSTRAINT), then
 * ALTER INDEX P ATTACH PARTITION for each of them: the names, the keys'
 * constraints and the validity of P (attached on every partition or not)
 * come out exactly as desired, where a plain CREATE INDEX would name new
 * partition indexes itself or attach whichever matching index it finds.
 * Dropping P drops the indexes attached to it, so a drop recreates those
 * the other schema has unattached.  PostgreSQL cannot detach an index from
 * its parent: a P whose attached indexes are only added gets them attached
 * in place (the inverse drops and recreates P); one that loses any is
 * rebuilt.  Attached indexes on partitions that are created, dropped,
 * rebuilt, attached or detached by the migration are not compared: they
 * come and go with their partition.
 *
 * A partition's own key attached to a plain parent index can be dropped
 * neither before nor after that index: the index is dropped with CASCADE.
 * CREATE TABLE ... PARTITION OF clones the parent's indexes, so a new
 * partition whose own key the desired schema has attached to P gets P
 * rebuilt around it instead.
 *
 * A partition's column is NOT NULL through its parent's (SET and DROP NOT
 * NULL recurse to the partitions) or on its own (a key of the partition
 * sets it): its own SET/DROP NOT NULL is emitted, after the parent
 * column's, only where the parent's change does not already give it; a new
 * partition gets its own after CREATE TABLE ... PARTITION OF.  Also here:
 * a partition of a referenced table is detached before it is dropped, a
 * NOT VALID CHECK added to a partitioned table is validated again on the
 * partitions that have it valid, and an inherited column the desired
 * schema has as the child's own is added again after the parent's goes.
 *
 * src/diff/plan_partition.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "diff.h"
#include "plan_int.h"

/* is o an index or a key (backed by an index) of a partitioned table? */
bool
plan_partitioned_key(DiffModel *m, DiffObj *o)
{
	DiffObj    *t;

	if (o == NULL || o->inherited || o->parent == NULL)
		return false;
	if (o->kind != DK_INDEX &&
		!(o->kind == DK_CONSTRAINT && (o->subkind == 'p' || o->subkind == 'u' || o->subkind == 'x')))
		return false;
	t = diff_lookup(m, o->parent);
	return t != NULL && t->kind == DK_TABLE && t->subkind == 'p';
}

/* the indexes and keys of model m attached to P */
static List *
attached(DiffModel *m, DiffObj *P)
{
	List	   *l = NIL;
	ListCell   *lc;

	foreach(lc, m->objs)
	{
		DiffObj    *o = lfirst(lc);

		if (o->attachto && (o->kind == DK_INDEX || o->kind == DK_CONSTRAINT) &&
			strcmp(o->attachto, P->qname) == 0)
			l = lappend(l, o);
	}
	return l;
}

/* a table both schemas have, neither dropped nor rebuilt */
static bool
table_kept(Planner *p, const char *tablekey)
{
	PEnt	   *t = plan_find(p, tablekey);

	return t && t->from && t->to && !t->drop && !t->rebuild;
}

/* ... and that stays a partition of the same parent (or none) */
static bool
table_stable(Planner *p, const char *tablekey)
{
	PEnt	   *t = plan_find(p, tablekey);

	if (!table_kept(p, tablekey))
		return false;
	if (t->from->partof == NULL || t->to->partof == NULL)
		return t->from->partof == t->to->partof;
	return strcmp(t->from->partof, t->to->partof) == 0;
}

/* does model "have" hold the partition index c unattached, on a kept table? */
static bool
exists_unattached(Planner *p, DiffModel *have, DiffObj *c)
{
	DiffObj    *h = diff_lookup(have, c->key);

	return h && !h->inherited && h->attachto == NULL && table_kept(p, c->parent);
}

/*
 * does model "other" hold c as an object of its own (not inherited), on a
 * kept table?  A partition's key attached to a plain parent index stays
 * the partition's own (PostgreSQL makes it inherited only under a parent
 * key).
 */
static bool
exists_own(Planner *p, DiffModel *other, DiffObj *c)
{
	DiffObj    *h = diff_lookup(other, c->key);

	return h && !h->inherited && table_kept(p, c->parent);
}

/*
 * Is c (of either model), a partition's own key attached to a plain parent
 * index, dropped (or created) with that index, which is dropped (created)
 * too?  Its own action is then left to the index's: the index is dropped
 * with CASCADE (see local_keys_cascade) and creates it before attaching it.
 */
static bool
with_parent(Planner *p, DiffObj *c)
{
	PEnt	   *ce;
	PEnt	   *pe;

	if (c == NULL || c->inherited || c->attachto == NULL || c->kind != DK_CONSTRAINT)
		return false;
	ce = plan_find(p, c->key);
	pe = plan_find(p, psprintf("i:%s", c->attachto));
	if (ce == NULL || pe == NULL)
		return false;
	if (ce->from == c)
		return (ce->drop || ce->rebuild) && (pe->drop || pe->rebuild);
	return (ce->create || ce->rebuild) && (pe->create || pe->rebuild);
}

/* "s" with the first "needle" replaced by "repl" */
static char *
replace_first(const char *s, const char *needle, const char *repl)
{
	const char *at = strstr(s, needle);

	if (at == NULL)
		return pstrdup(s);
	return psprintf("%.*s%s%s", (int) (at - s), s, repl, at + strlen(needle));
}

static char *
attach_sql(DiffObj *P, DiffObj *c)
{
	return psprintf("ALTER INDEX %s ATTACH PARTITION %s;", P->qname, c->qname);
}

/*
 * The statements creating P as model m (the desired schema going up, the
 * live one going down) has it, with its attached partition indexes; those
 * the schema on the other side ("have") holds unattached are attached as
 * they are.
 */
static char *
create_sql(Planner *p, DiffObj *P, bool up)
{
	DiffModel  *m = up ? p->to : p->from;
	DiffModel  *have = up ? p->from : p->to;
	List	   *kids = attached(m, P);
	StringInfoData buf;
	ListCell   *lc;
	char	   *own;

	initStringInfo(&buf);
	foreach(lc, kids)
	{
		DiffObj    *c = lfirst(lc);

		/* a partition's own key is created by its own action */
		if (c->inherited ? !exists_unattached(p, have, c) : with_parent(p, c))
			appendStringInfo(&buf, "%s\n", diff_create_sql(m, c, true));
	}
	own = diff_create_sql(m, P, true);
	if (P->kind == DK_INDEX)
		own = replace_first(own, psprintf(" ON %s USING ", P->table),
							psprintf(" ON ONLY %s USING ", P->table));
	else
		own = replace_first(own, psprintf("ALTER TABLE %s ADD CONSTRAINT ", P->table),
							psprintf("ALTER TABLE ONLY %s ADD CONSTRAINT ", P->table));
	appendStringInfoString(&buf, own);
	foreach(lc, kids)
		appendStringInfo(&buf, "\n%s", attach_sql(P, lfirst(lc)));
	return buf.data;
}

/*
 * A partition's own key attached to a plain index P can be dropped neither
 * before P nor after it: P is dropped with CASCADE, which drops those keys,
 * unless a foreign key uses one (it would go too: the plain DROP then fails
 * and says so).
 */
static bool
local_keys_cascade(DiffModel *m, DiffObj *P)
{
	ListCell   *lc;
	bool		any = false;

	if (P->kind != DK_INDEX)
		return false;
	foreach(lc, attached(m, P))
	{
		DiffObj    *c = lfirst(lc);
		ListCell   *lc2;

		if (c->inherited)
			continue;
		any = true;
		foreach(lc2, c->rdeps)
		{
			DiffObj    *d = diff_lookup(m, (char *) lfirst(lc2));

			/* a partitioned key's clones go with their key, dropped first */
			if (d && d->kind == DK_CONSTRAINT && d->subkind == 'f' && !d->inherited)
				return false;
		}
	}
	return any;
}

/*
 * The statements dropping P of model "up ? from : to"; the indexes attached
 * to it go with it and those the other schema has unattached are created
 * again.
 */
static char *
drop_sql(Planner *p, DiffObj *P, bool up)
{
	DiffModel  *m = up ? p->from : p->to;
	DiffModel  *other = up ? p->to : p->from;
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	appendStringInfoString(&buf, local_keys_cascade(m, P) ?
						   psprintf("DROP INDEX %s CASCADE;", P->qname) : diff_drop_sql(P));
	foreach(lc, attached(m, P))
	{
		DiffObj    *c = lfirst(lc);

		if (exists_own(p, other, c))
			appendStringInfo(&buf, "\n%s", diff_create_sql(other, diff_lookup(other, c->key), true));
	}
	return buf.data;
}

/* the keys of "objs" whose partition stays what it is */
static List *
stable_keys(Planner *p, List *objs)
{
	List	   *l = NIL;
	ListCell   *lc;

	foreach(lc, objs)
	{
		DiffObj    *c = lfirst(lc);

		if (table_stable(p, c->parent))
			l = lappend(l, c->key);
	}
	return l;
}

static bool
has_key(List *keys, const char *k)
{
	ListCell   *lc;

	foreach(lc, keys)
		if (strcmp((char *) lfirst(lc), k) == 0)
		return true;
	return false;
}

/*
 * P depends on the partitions its attached indexes are on, and a desired
 * P on the partitions' own keys attached to it (a live one's depend on it)
 */
static void
add_partition_deps(DiffModel *m, DiffObj *P, bool desired)
{
	ListCell   *lc;

	foreach(lc, attached(m, P))
	{
		DiffObj    *c = lfirst(lc);

		P->deps = lappend(P->deps, c->parent);
		if (!c->inherited && desired)
			P->deps = lappend(P->deps, c->key);
	}
}

/*
 * plan_partition_prepare: a desired partitioned index or key is created
 * after the partitions its attached indexes are on.  The dependency is not
 * recorded as a reverse one, so that a partition's rebuild does not
 * rebuild it.
 */
void
plan_partition_prepare(Planner *p)
{
	ListCell   *lc;

	foreach(lc, p->to->objs)
	{
		DiffObj    *P = lfirst(lc);

		if (plan_partitioned_key(p->to, P))
			add_partition_deps(p->to, P, true);
	}
}

/* the entry of the column of c's table's (first) parent that c inherits */
static PEnt *
parent_column(Planner *p, DiffObj *c)
{
	DiffObj    *tab = diff_lookup(p->from, c->parent);
	const char *ptab;

	if (tab == NULL)
		return NULL;
	ptab = tab->partof ? tab->partof :
		tab->inherits ? (const char *) linitial(tab->inherits) : NULL;
	return ptab ? plan_find(p, psprintf("c:%s.%s", ptab, quote_identifier(c->name))) : NULL;
}

/*
 * plan_partition_classify: what an entry classify() left alone needs.  A
 * partitioned index or key kept as it is gets the partition indexes it
 * gains attached (e->attach), is rebuilt if it loses any; a partition's
 * column whose NOT NULL changes otherwise than through its parent's is
 * altered; an inherited column that the desired schema has as the child's
 * own while the parent's is dropped is added again after that drop.
 */
void
plan_partition_classify(Planner *p, PEnt *e)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;

	/*
	 * A live one dropped on its own (its table stays) goes before the
	 * partitions, so that the inverse creates it after them.
	 */
	if (f && plan_partitioned_key(p->from, f) && table_kept(p, f->parent))
		add_partition_deps(p->from, f, false);
	if (f == NULL || t == NULL || e->drop || e->rebuild)
		return;
	if (plan_partitioned_key(p->from, f) && plan_partitioned_key(p->to, t))
	{
		List	   *ta = attached(p->to, t);
		List	   *fk = stable_keys(p, attached(p->from, f));
		List	   *tk = stable_keys(p, ta);
		ListCell   *lc;

		/*
		 * A partition created by the migration gets a clone of P from
		 * CREATE TABLE ... PARTITION OF; where the desired schema has the
		 * partition's own key attached to P instead, P is rebuilt around
		 * the new partition (dropped before it, created after its key).
		 */
		foreach(lc, ta)
		{
			DiffObj    *c = lfirst(lc);
			PEnt	   *te = plan_find(p, c->parent);

			if (c->kind == DK_CONSTRAINT && !c->inherited && te && te->from == NULL)
			{
				e->rebuild = true;
				e->alter = false;
				return;
			}
		}
		foreach(lc, fk)
			if (!has_key(tk, lfirst(lc)))
			{
				e->rebuild = true;
				e->alter = false;
				return;
			}
		if (list_length(tk) > list_length(fk))
			e->alter = e->attach = true;
		return;
	}
	if (f->kind == DK_COLUMN && f->inherited && !t->inherited && table_stable(p, t->parent))
	{
		/* an inherited column whose parent's goes, desired as the child's own */
		PEnt	   *pc = parent_column(p, f);

		if (pc && pc->from && !pc->to)
			e->create = true;
		return;
	}
	if (f->kind == DK_COLUMN && f->inherited && t->inherited && table_stable(p, t->parent))
	{
		PEnt	   *pc = parent_column(p, t);
		bool		eff = f->notnull;

		if (pc && pc->from && pc->to && pc->from->notnull != pc->to->notnull)
		{
			eff = pc->to->notnull;
			t->deps = lappend(t->deps, pstrdup(pc->key));
		}
		if (eff != t->notnull)
			e->alter = true;
		e->notnullfrom = eff;
	}
}

/* plan_partition_column: the own NOT NULL change of a partition's column */
void
plan_partition_column(PEnt *e, Action *a)
{
	DiffObj    *t = e->to;
	char	   *qc = pstrdup(quote_identifier(t->name));

	plan_step(a, psprintf("ALTER TABLE %s ALTER COLUMN %s %s NOT NULL;", t->table, qc,
						  t->notnull ? "SET" : "DROP"),
			  psprintf("ALTER TABLE %s ALTER COLUMN %s %s NOT NULL;", t->table, qc,
					   e->notnullfrom ? "SET" : "DROP"),
			  t->notnull ? "ACQUIRES_ACCESS_EXCLUSIVE_LOCK" : NULL);
}

/*
 * plan_partition_attach: the partition indexes P gains, created where they
 * do not exist and attached; the inverse drops P and creates it again as
 * it was.
 */
void
plan_partition_attach(Planner *p, PEnt *e, Action *a)
{
	List	   *fk = attached(p->from, e->from);
	StringInfoData up,
				down;
	ListCell   *lc;

	initStringInfo(&up);
	foreach(lc, attached(p->to, e->to))
	{
		DiffObj    *c = lfirst(lc);
		ListCell   *lc2;
		bool		had = false;

		foreach(lc2, fk)
			if (strcmp(((DiffObj *) lfirst(lc2))->key, c->key) == 0)
			had = true;
		if (had || !table_stable(p, c->parent))
			continue;
		if (c->inherited && !exists_unattached(p, p->from, c))
			appendStringInfo(&up, "%s\n", diff_create_sql(p->to, c, true));
		appendStringInfo(&up, "%s\n", attach_sql(e->to, c));
	}
	if (up.len > 0)
		up.data[--up.len] = '\0';
	initStringInfo(&down);
	appendStringInfo(&down, "%s\n%s", drop_sql(p, e->to, false), create_sql(p, e->from, false));
	plan_step(a, up.data, down.data, NULL);
}

/* the part of an index definition after its name and table: what ATTACH matches */
static bool
same_index_shape(const char *a, const char *b)
{
	const char *ua = strstr(a, " USING ");
	const char *ub = strstr(b, " USING ");

	return ua && ub && strcmp(ua, ub) == 0 &&
		(strncmp(a, "CREATE UNIQUE ", 14) == 0) == (strncmp(b, "CREATE UNIQUE ", 14) == 0);
}

/*
 * plan_partition_attach_table: t (f in the live schema) attached as a
 * partition of t->partof, and detached as the inverse.  ATTACH attaches to
 * each index P of the parent the partition's first matching unattached
 * index, or creates one under a name of its own: so the index the desired
 * schema attaches to a P that exists by then is created first, under its
 * name, and a matching index the desired schema keeps unattached is
 * dropped before the ATTACH and created again after it.  (DETACH leaves the
 * attached indexes in place, so the inverse, run backwards, is exact too.)
 */
void
plan_partition_attach_table(Planner *p, Action *a, DiffObj *f, DiffObj *t)
{
	char	   *parentkey = psprintf("r:%s", t->partof);
	List	   *after = NIL;
	ListCell   *lc;

	foreach(lc, p->to->objs)
	{
		DiffObj    *P = lfirst(lc);
		DiffObj    *A = NULL;
		ListCell   *lc2;
		PEnt	   *pe;

		if (P->kind != DK_INDEX || P->inherited || P->parent == NULL ||
			strcmp(P->parent, parentkey) != 0)
			continue;
		/* one created after the ATTACH attaches its indexes itself */
		pe = plan_find(p, P->key);
		if (pe == NULL || pe->create || pe->rebuild)
			continue;
		foreach(lc2, attached(p->to, P))
			if (strcmp(((DiffObj *) lfirst(lc2))->parent, t->key) == 0)
			A = lfirst(lc2);
		foreach(lc2, p->from->objs)
		{
			DiffObj    *L = lfirst(lc2);
			DiffObj    *Lt;

			if (L->kind != DK_INDEX || L->parent == NULL || strcmp(L->parent, f->key) != 0 ||
				(A && strcmp(A->key, L->key) == 0) || !same_index_shape(L->def, P->def))
				continue;
			Lt = diff_lookup(p->to, L->key);
			if (Lt == NULL || Lt->attachto || strcmp(Lt->def, L->def) != 0 ||
				list_member_ptr(after, Lt))
				continue;
			plan_step(a, diff_drop_sql(L), diff_create_sql(p->from, L, true),
					  "ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
			after = lappend(after, Lt);
		}
		if (A && A->kind == DK_INDEX && diff_lookup(p->from, A->key) == NULL)
			plan_step(a, diff_create_sql(p->to, A, true), diff_drop_sql(A), "INDEX_BUILD, ACQUIRES_SHARE_LOCK");
	}
	plan_step(a, psprintf("ALTER TABLE %s ATTACH PARTITION %s %s;", t->partof, t->qname, t->bound),
			  psprintf("ALTER TABLE %s DETACH PARTITION %s;", t->partof, t->qname),
			  "ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
	foreach(lc, after)
		plan_step(a, diff_create_sql(p->to, lfirst(lc), true), diff_drop_sql(lfirst(lc)),
				  "INDEX_BUILD, ACQUIRES_SHARE_LOCK");
}

/*
 * plan_partition_fill: the steps of the drop or create action of a
 * partitioned index or key; false if "a" is not one.
 */
bool
plan_partition_fill(Planner *p, Action *a, const char *hazard)
{
	PEnt	   *e = a->ent;

	if ((a->phase == 0 && with_parent(p, e->from)) || (a->phase == 2 && with_parent(p, e->to)))
		return true;
	if (a->phase == 0 && a->folded == NIL && plan_partitioned_key(p->from, e->from))
	{
		plan_step(a, drop_sql(p, e->from, true), create_sql(p, e->from, false), hazard);
		return true;
	}
	if (a->phase == 2 && plan_partitioned_key(p->to, e->to))
	{
		plan_step(a, create_sql(p, e->to, true), drop_sql(p, e->to, false), hazard);
		return true;
	}
	return false;
}

/*
 * plan_partition_drop_table: the statements dropping table t of model m
 * when it is a partition of a table a foreign key references (PostgreSQL
 * refuses to drop it while attached: the key's clones for it depend on
 * it), else NULL.
 */
char *
plan_partition_drop_table(DiffModel *m, DiffObj *t)
{
	DiffObj    *parent;
	char	   *ref;
	ListCell   *lc;

	if (t->kind != DK_TABLE || t->partof == NULL)
		return NULL;
	parent = diff_lookup(m, psprintf("r:%s", t->partof));
	if (parent == NULL)
		return NULL;
	ref = psprintf("REFERENCES %s(", t->partof);
	foreach(lc, m->objs)
	{
		DiffObj    *k = lfirst(lc);

		if (k && k->kind == DK_CONSTRAINT && k->subkind == 'f' && strstr(k->def, ref))
			return psprintf("ALTER TABLE %s DETACH PARTITION %s;\n%s", t->partof, t->qname,
							diff_drop_sql(t));
	}
	return NULL;
}

/*
 * plan_partition_table_extras: what CREATE TABLE ... PARTITION OF does not
 * give a new partition t of model m: the NOT NULL of its columns that its
 * parent's columns do not have.
 */
void
plan_partition_table_extras(StringInfo buf, DiffModel *m, DiffObj *t)
{
	char	   *prefix = psprintf("c:%s.", t->qname);
	int			plen = strlen(prefix);
	ListCell   *lc;

	if (t->partof == NULL)
		return;
	foreach(lc, t->rdeps)
	{
		DiffObj    *c = diff_lookup(m, (char *) lfirst(lc));
		DiffObj    *pc;

		if (c == NULL || c->kind != DK_COLUMN || !c->notnull || strncmp(c->key, prefix, plen) != 0)
			continue;
		pc = diff_lookup(m, psprintf("c:%s.%s", t->partof, quote_identifier(c->name)));
		if (pc && !pc->notnull)
			diff_append_stmt(buf, psprintf("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL",
										   t->qname, quote_identifier(c->name)));
	}
}

/*
 * plan_partition_validate_children: a CHECK constraint k of model m added
 * NOT VALID to a parent is added NOT VALID to its partitions too; validate
 * it on those where m has it validated.
 */
void
plan_partition_validate_children(StringInfo buf, DiffModel *m, DiffObj *k)
{
	DiffObj    *t;
	ListCell   *lc;

	if (k->kind != DK_CONSTRAINT || k->subkind != 'c' || k->validated || k->inherited)
		return;
	t = diff_lookup(m, k->parent);
	if (t == NULL)
		return;
	foreach(lc, m->objs)
	{
		DiffObj    *part = lfirst(lc);
		DiffObj    *ck;

		if (part == NULL || part->kind != DK_TABLE || part->partof == NULL ||
			strcmp(psprintf("r:%s", part->partof), t->key) != 0)
			continue;
		ck = diff_lookup(m, psprintf("k:%s.%s", part->qname, quote_identifier(k->name)));
		if (ck && ck->inherited && ck->validated)
			diff_append_stmt(buf, psprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s",
										   part->qname, quote_identifier(k->name)));
	}
}

