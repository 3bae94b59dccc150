/*-------------------------------------------------------------------------
 *
 * dry_run.c
 *	  dry_run(target): the statements upgrade(target) (or downgrade, when
 *	  the target lies below) would run, run one by one in a subtransaction
 *	  that is always rolled back, with what each one did: its duration, the
 *	  locks it newly took, the tables it rewrote and the rows it touched.
 *
 * Locks come from the lock manager itself (GetLockStatusData, the data
 * behind pg_locks), filtered to this backend: the (mode, relation) pairs
 * held after a statement and not before it.  A relation the statement
 * dropped is named from the catalog as it was before the statement (a
 * snapshot taken then).  Locks on system catalogs and TOAST tables, which
 * every DDL statement takes, are left out.  Rewrites come from the
 * table_rewrite event trigger (rewrite_guard.c), which reports each table
 * it sees while a dry run is active.
 *
 * The statements are run by apply.c's runner, as upgrade runs them (the
 * caller's role, lock and statement timeouts, the rewrite guard), through
 * its per-statement hooks.  A statement that fails ends the call with its
 * own error; the subtransaction's rollback leaves nothing behind.
 *
 * src/verify/dry_run.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "apply.h"
#include "catalog.h"
#include "graph.h"
#include "lint.h"
#include "verify.h"

PG_FUNCTION_INFO_V1(schemamig_dry_run);

/* One (relation, mode) lock this backend holds. */
typedef struct HeldLock
{
	Oid			relid;
	LOCKMODE	mode;
} HeldLock;

/* One result row. */
typedef struct DryRow
{
	char	   *revision;
	bool		upgrade;
	int			stmt_no;
	char	   *statement;
	int64		usecs;
	List	   *locks;			/* char * */
	List	   *rewrites;		/* char * */
	int64		rows;
} DryRow;

/* The state of the run, shared by the hooks. */
typedef struct DryState
{
	MemoryContext cxt;			/* rows and names live here */
	SmStep	   *step;
	List	   *rows;			/* DryRow * */
	HeldLock   *held;			/* before the current statement */
	int			nheld;
	Snapshot	snapshot;		/* the catalog before the current statement */
	TimestampTz start;
	char	   *note;			/* transactional equivalent used, or NULL */
	List	   *rewrites;		/* char *: of the current statement */
} DryState;

static DryState *dry;			/* the active run, for the rewrite observer */

/* the relation locks this backend holds now (palloc'd array) */
static HeldLock *
held_locks(int *n)
{
	LockData   *ld = GetLockStatusData();
	HeldLock   *out = palloc(sizeof(HeldLock) * (ld->nelements + 1));
	int			i;

	*n = 0;
	for (i = 0; i < ld->nelements; i++)
	{
		LockInstanceData *li = &ld->locks[i];
		LOCKMODE	m;

		if (li->pid != MyProcPid ||
			li->locktag.locktag_type != LOCKTAG_RELATION ||
			li->locktag.locktag_field1 != MyDatabaseId)
			continue;
		for (m = 1; m <= MaxLockMode; m++)
		{
			if (li->holdMask & LOCKBIT_ON(m))
			{
				out[*n].relid = li->locktag.locktag_field2;
				out[*n].mode = m;
				(*n)++;
			}
		}
	}
	return out;
}

/* the name and schema of a relation in the catalog as "snap" sees it */
static bool
relation_at(Oid relid, Snapshot snap, char **name, Oid *nsp)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		found = false;

	rel = table_open(RelationRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_class_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(relid));
	scan = systable_beginscan(rel, ClassOidIndexId, true, snap, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		Form_pg_class f = (Form_pg_class) GETSTRUCT(tup);

		*name = pstrdup(NameStr(f->relname));
		*nsp = f->relnamespace;
		found = true;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

static char *
namespace_at(Oid nsp, Snapshot snap)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	char	   *name = get_namespace_name(nsp);

	if (name != NULL)
		return name;
	rel = table_open(NamespaceRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_namespace_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(nsp));
	scan = systable_beginscan(rel, NamespaceOidIndexId, true, snap, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		name = pstrdup(NameStr(((Form_pg_namespace) GETSTRUCT(tup))->nspname));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return name;
}

/*
 * The qualified name of a relation, from the catalog now or else as it was
 * before the statement; NULL for system catalogs, TOAST tables and
 * relations that cannot be named.
 */
static char *
relation_label(Oid relid, Snapshot snap)
{
	char	   *name = get_rel_name(relid);
	Oid			nsp = InvalidOid;
	char	   *nspname;

	if (name != NULL)
		nsp = get_rel_namespace(relid);
	else if (snap == NULL || !relation_at(relid, snap, &name, &nsp))
		return NULL;
	if (nsp == PG_CATALOG_NAMESPACE || nsp == PG_TOAST_NAMESPACE ||
		isTempToastNamespace(nsp))
		return NULL;
	nspname = namespace_at(nsp, snap);
	if (nspname == NULL)
		return NULL;
	return quote_qualified_identifier(nspname, name);
}

static int
cmp_strings(const ListCell *a, const ListCell *b)
{
	return strcmp((char *) lfirst(a), (char *) lfirst(b));
}

/* the rewrite observer (rewrite_guard.c): note the table */
static void
observe_rewrite(Oid relid)
{
	MemoryContext old;
	char	   *label;

	if (dry == NULL)
		return;
	old = MemoryContextSwitchTo(dry->cxt);
	label = relation_label(relid, NULL);
	if (label != NULL && !list_member(dry->rewrites, makeString(label)))
		dry->rewrites = lappend(dry->rewrites, makeString(label));
	MemoryContextSwitchTo(old);
}

static DryRow *
new_row(DryState *ds, int stmt_no, const SmStatement *st)
{
	DryRow	   *r = MemoryContextAllocZero(ds->cxt, sizeof(DryRow));
	MemoryContext old = MemoryContextSwitchTo(ds->cxt);

	r->revision = pstrdup(ds->step->rev->id);
	r->upgrade = ds->step->upgrade;
	r->stmt_no = stmt_no;
	if (ds->note != NULL)
		r->statement = psprintf("%s -- dry run: %s", st->sql, ds->note);
	else
		r->statement = pstrdup(st->sql);
	MemoryContextSwitchTo(old);
	ds->rows = lappend(ds->rows, r);
	return r;
}

static const char *
hook_replace(void *arg, int stmt_no, const SmStatement *st)
{
	DryState   *ds = (DryState *) arg;
	const char *r;

	ds->note = NULL;
	if (!st->nontransactional)
		return NULL;
	r = sm_transactional_equivalent(st, stmt_no, &ds->note);
	if (r != NULL && r[0] == '\0')
		(void) new_row(ds, stmt_no, st);	/* skipped: a row with nothing */
	else if (ds->note != NULL)
		ds->note = psprintf("ran the transactional equivalent, %s", ds->note);
	return r;
}

static void
hook_before(void *arg, int stmt_no, const SmStatement *st)
{
	DryState   *ds = (DryState *) arg;

	if (ds->snapshot != NULL)
		UnregisterSnapshot(ds->snapshot);
	ds->snapshot = RegisterSnapshot(GetLatestSnapshot());
	ds->held = held_locks(&ds->nheld);
	ds->rewrites = NIL;
	ds->start = GetCurrentTimestamp();
}

static void
hook_after(void *arg, int stmt_no, const SmStatement *st, uint64 processed)
{
	DryState   *ds = (DryState *) arg;
	TimestampTz end = GetCurrentTimestamp();
	DryRow	   *r = new_row(ds, stmt_no, st);
	HeldLock   *now;
	int			n;
	int			i;
	int			j;
	MemoryContext old;
	ListCell   *lc;

	r->usecs = end - ds->start;
	r->rows = (int64) processed;
	now = held_locks(&n);
	old = MemoryContextSwitchTo(ds->cxt);
	for (i = 0; i < n; i++)
	{
		bool		had = false;
		char	   *label;

		for (j = 0; j < ds->nheld && !had; j++)
			had = (ds->held[j].relid == now[i].relid && ds->held[j].mode == now[i].mode);
		if (had)
			continue;
		label = relation_label(now[i].relid, ds->snapshot);
		if (label == NULL)
			continue;
		r->locks = lappend(r->locks, psprintf("%s on %s",
											  GetLockmodeName(DEFAULT_LOCKMETHOD, now[i].mode),
											  label));
	}
	list_sort(r->locks, cmp_strings);
	foreach(lc, ds->rewrites)
		r->rewrites = lappend(r->rewrites, pstrdup(strVal(lfirst(lc))));
	list_sort(r->rewrites, cmp_strings);
	MemoryContextSwitchTo(old);
	UnregisterSnapshot(ds->snapshot);
	ds->snapshot = NULL;
	pfree(now);
}

/* runs every step, in the caller's (sub)transaction */
static void
dry_run_steps(DryState *ds, List *steps)
{
	ListCell   *lc;
	SmRunHooks	hooks;

	hooks.replace = hook_replace;
	hooks.before = hook_before;
	hooks.after = hook_after;
	hooks.arg = ds;
	foreach(lc, steps)
	{
		ds->step = lfirst(lc);
		CHECK_FOR_INTERRUPTS();
		if (ds->step->upgrade)
			sm_lint_before_upgrade(ds->step->rev->id, ds->step->rev->upgrade_sql);
		sm_run_revision_sql_hooked(ds->step->rev, ds->step->upgrade, &hooks);
	}
}

/*
 * schemamig.dry_run(target text DEFAULT 'head') returns TABLE(revision,
 * direction, statement_no, statement, duration, locks, rewrites, rows).
 */
Datum
schemamig_dry_run(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext cxt;
	char	   *target;
	SmGraph    *g;
	List	   *heads;
	List	   *steps;
	int			base;
	DryState	ds;
	ListCell   *lc;

	target = sm_target_arg(fcinfo);
	sm_refuse_inside_revision("dry_run");

	InitMaterializedSRF(fcinfo, 0);
	sm_lock_for_migration();
	sm_spi_connect();
	cxt = CurrentMemoryContext;

	g = graph_load(true);
	heads = sm_version_heads();
	steps = graph_is_downgrade_target(g, heads, target)
		? graph_downgrade_steps(g, heads, target)
		: graph_upgrade_steps(g, heads, target);
	/* a downgrade through an irreversible revision: refused by name */
	sm_check_steps(steps, false);

	memset(&ds, 0, sizeof(ds));
	ds.cxt = cxt;
	base = sm_subxact_depth();
	sm_subxact_begin();
	PG_TRY();
	{
		dry = &ds;
		sm_rewrite_observer = observe_rewrite;
		dry_run_steps(&ds, steps);
		sm_rewrite_observer = NULL;
		dry = NULL;
		sm_subxact_unwind(base);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		sm_rewrite_observer = NULL;
		dry = NULL;
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		/* the rollback releases ds.snapshot with the subtransaction */
		sm_subxact_unwind(base);
		ReThrowError(edata);
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);

	foreach(lc, ds.rows)
	{
		DryRow	   *r = lfirst(lc);
		Datum		v[8];
		bool		n[8] = {false, false, false, false, false, false, false, false};
		Interval   *dur = palloc0(sizeof(Interval));

		dur->time = r->usecs;
		v[0] = CStringGetTextDatum(r->revision);
		v[1] = CStringGetTextDatum(r->upgrade ? "upgrade" : "downgrade");
		v[2] = Int32GetDatum(r->stmt_no);
		v[3] = CStringGetTextDatum(r->statement);
		v[4] = IntervalPGetDatum(dur);
		v[5] = sm_text_array_datum(r->locks);
		v[6] = sm_text_array_datum(r->rewrites);
		v[7] = Int64GetDatum(r->rows);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	sm_spi_finish();
	return (Datum) 0;
}
