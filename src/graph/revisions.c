/*-------------------------------------------------------------------------
 *
 * revisions.c
 *	  SQL functions over the revision graph: registering revisions
 *	  (add_revision, merge, remove_revision), reading it (heads, bases,
 *	  branches, current, history, show) and stamp.
 *
 * Mutating functions take the catalog lock (sm_lock_catalog) first, so that
 * concurrent callers are serialised and each sees the work of the previous
 * one.  A revision counts as "applied" when it is in schemamig.version or
 * an ancestor (through down revisions and dependencies) of a row there.
 *
 * src/graph/revisions.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "catalog.h"
#include "drift.h"
#include "graph.h"
#include "target.h"

PG_FUNCTION_INFO_V1(schemamig_add_revision);
PG_FUNCTION_INFO_V1(schemamig_merge);
PG_FUNCTION_INFO_V1(schemamig_remove_revision);
PG_FUNCTION_INFO_V1(schemamig_heads);
PG_FUNCTION_INFO_V1(schemamig_bases);
PG_FUNCTION_INFO_V1(schemamig_branches);
PG_FUNCTION_INFO_V1(schemamig_current);
PG_FUNCTION_INFO_V1(schemamig_history);
PG_FUNCTION_INFO_V1(schemamig_show);
PG_FUNCTION_INFO_V1(schemamig_stamp);
PG_FUNCTION_INFO_V1(schemamig_stamp_many);

/* columns of every revision-listing function */
#define SM_REV_COLS 10

/*
 * connect_and_load connects SPI and loads the graph into the caller's
 * memory context (SPI_connect and every SPI execution switch to SPI's own
 * procedure context, which SPI_finish frees: whatever must outlive SPI is
 * built after switching back to the caller's context).
 */
static SmGraph *
connect_and_load(bool with_sql)
{
	MemoryContext caller = CurrentMemoryContext;

	sm_spi_connect();
	MemoryContextSwitchTo(caller);
	return graph_load(with_sql);
}

static List *
rev_ids(List *revs)
{
	List	   *r = NIL;
	ListCell   *lc;

	foreach(lc, revs)
		r = lappend(r, ((SmRevision *) lfirst(lc))->id);
	return r;
}

/* a text[] of "l"; "empty" is a shared empty text[] for the frequent empty lists */
static Datum
text_array(List *l, Datum empty)
{
	return l == NIL ? empty : sm_text_array_datum(l);
}

/* one output row describing revision "rev" */
static void
put_rev_row(ReturnSetInfo *rsinfo, SmGraph *g, SmRevision *rev, Datum empty)
{
	Datum		values[SM_REV_COLS];
	bool		nulls[SM_REV_COLS] = {0};
	SmRevisionInfo info;

	graph_describe(g, rev, &info);

	values[0] = CStringGetTextDatum(rev->id);
	values[1] = CStringGetTextDatum(rev->message ? rev->message : "");
	values[2] = text_array(rev->down, empty);
	values[3] = text_array(rev_ids(info.children), empty);
	values[4] = text_array(info.labels, empty);
	values[5] = text_array(rev->depends, empty);
	values[6] = BoolGetDatum(info.children == NIL);
	values[7] = BoolGetDatum(info.nparents == 0);
	values[8] = BoolGetDatum(list_length(info.children) > 1);
	values[9] = BoolGetDatum(info.nparents > 1);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

static void
put_rev_rows(ReturnSetInfo *rsinfo, SmGraph *g, List *revs)
{
	Datum		empty = sm_text_array_datum(NIL);
	ListCell   *lc;

	foreach(lc, revs)
		put_rev_row(rsinfo, g, lfirst(lc), empty);
}

static bool
arg_bool(FunctionCallInfo fcinfo, int n, bool dflt)
{
	return PG_ARGISNULL(n) ? dflt : PG_GETARG_BOOL(n);
}

/* heads(resolve_dependencies bool DEFAULT false) */
Datum
schemamig_heads(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		real = arg_bool(fcinfo, 0, false);
	SmGraph    *g;

	InitMaterializedSRF(fcinfo, 0);
	g = connect_and_load(false);
	put_rev_rows(rsinfo, g, graph_revision_set(g, real ? SM_SET_REAL_HEADS : SM_SET_HEADS));
	sm_spi_finish();
	return (Datum) 0;
}

/* bases(resolve_dependencies bool DEFAULT false) */
Datum
schemamig_bases(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		real = arg_bool(fcinfo, 0, false);
	SmGraph    *g;

	InitMaterializedSRF(fcinfo, 0);
	g = connect_and_load(false);
	put_rev_rows(rsinfo, g, graph_revision_set(g, real ? SM_SET_REAL_BASES : SM_SET_BASES));
	sm_spi_finish();
	return (Datum) 0;
}

/* branches(): branch points, newest first (Alembic's "branches") */
Datum
schemamig_branches(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmGraph    *g;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	g = connect_and_load(false);
	foreach(lc, target_branch_points(g))
		put_rev_row(rsinfo, g, lfirst(lc), sm_text_array_datum(NIL));
	sm_spi_finish();
	return (Datum) 0;
}

/*
 * current(): what "alembic current" shows: the version table's revisions
 * (in table order) and the tips of the lines they imply through depends_on
 * (graph_all_current).  The raw table is schemamig.version.
 */
Datum
schemamig_current(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmGraph    *g;

	InitMaterializedSRF(fcinfo, 0);
	g = connect_and_load(false);
	put_rev_rows(rsinfo, g, graph_current_revisions(g, sm_version_heads(), "the version table"));
	sm_spi_finish();
	return (Datum) 0;
}

/* history(range text DEFAULT NULL): newest first */
Datum
schemamig_history(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *range = PG_ARGISNULL(0) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(0));
	SmGraph    *g;
	List	   *history;
	Datum		empty;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	g = connect_and_load(false);
	history = target_history(g, range, sm_version_heads());
	empty = sm_text_array_datum(NIL);
	foreach(lc, history)
		put_rev_row(rsinfo, g, lfirst(lc), empty);
	sm_spi_finish();
	return (Datum) 0;
}

/* show(target text): the revisions the target names */
Datum
schemamig_show(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *target = text_to_cstring(PG_GETARG_TEXT_PP(0));
	SmGraph    *g;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	g = connect_and_load(false);
	foreach(lc, target_show(g, target))
		put_rev_row(rsinfo, g, lfirst(lc), sm_text_array_datum(NIL));
	sm_spi_finish();
	return (Datum) 0;
}

/* is revision idx applied: in the version table or below one of its rows */
static bool
revision_applied(SmGraph *g, int idx)
{
	return graph_is_applied(g, sm_version_heads(), graph_revision(g, idx));
}

static bool
is_reserved_name(const char *name)
{
	return strcmp(name, "head") == 0 || strcmp(name, "heads") == 0 ||
		strcmp(name, "base") == 0 || strcmp(name, "current") == 0;
}

/* check the syntax of a list of names, refusing duplicates and "self" */
static void
check_names(List *names, const char *what, const char *self)
{
	ListCell   *lc;

	foreach(lc, names)
	{
		const char *name = lfirst(lc);
		ListCell   *lc2;

		sm_check_id(name, what);
		if (self && strcmp(name, self) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("revision \"%s\" cannot name itself as a %s", self, what)));
		for_each_cell(lc2, names, lnext(names, lc))
			if (strcmp(name, (char *) lfirst(lc2)) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s \"%s\" is listed twice", what, name)));
	}
}

/* parse one direction's SQL; true when a statement must run outside a transaction */
static bool
check_sql(const char *sql, const char *id, const char *direction, bool transactional)
{
	ListCell   *lc;
	bool		nontx = false;

	if (sql == NULL)
		return false;
	foreach(lc, sm_split_sql(sql))
	{
		SmStatement *st = lfirst(lc);

		sm_check_statement(st, foreach_current_index(lc) + 1, id, direction);
		if (st->nontransactional)
		{
			nontx = true;
			if (transactional)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s SQL of revision \"%s\" contains a statement that cannot run inside a transaction block",
								direction, id),
						 errdetail("Statement %d: %s", foreach_current_index(lc) + 1, st->sql),
						 errhint("Register the revision with transactional => false; it then runs outside "
								 "a transaction, through the command-line client or plan() with \\gexec.")));
		}
	}
	return nontx;
}

/* a new random 12-hex-digit id that the graph does not use yet */
static char *
generate_id(SmGraph *g)
{
	for (;;)
	{
		unsigned char buf[6];
		char	   *id = palloc(13);
		int			i;

		if (!pg_strong_random(buf, sizeof(buf)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate a random revision id")));
		for (i = 0; i < 6; i++)
			snprintf(id + 2 * i, 3, "%02x", buf[i]);
		if (graph_index_of(g, id) < 0 && graph_label_index(g, id) < 0)
			return id;
	}
}

/*
 * new_revision_is_clean: the fast path of add_revision.  True when "id" is
 * new and every fact the full check needs holds (parents and dependencies
 * exist, neither the id nor a label clashes with an id or label, no reserved
 * or repeated name), so that the revision can be inserted without loading
 * the graph: a new node whose edges all point at existing nodes closes no
 * cycle.  Anything else goes through the full check, which reports it.
 */
static bool
new_revision_is_clean(const char *id, List *down, List *labels, List *deps)
{
	ListCell   *lc;

	if (!sm_valid_name(id) || is_reserved_name(id))
		return false;
	foreach(lc, labels)
	{
		if (is_reserved_name(lfirst(lc)) || strcmp(lfirst(lc), id) == 0)
			return false;
	}
	check_names(labels, "branch label", NULL);
	check_names(down, "down revision", id);
	check_names(deps, "dependency", id);

	return sm_catalog_revision_is_new(id, down, labels, deps);
}

/*
 * insert_revision checks the SQL of a new revision and inserts it with its
 * checksum.  The caller has validated id, parents, labels and dependencies.
 */
static void
insert_revision(const char *id, const char *message, const char *upgrade_sql,
				const char *downgrade_sql, List *down, List *labels, List *deps,
				bool transactional)
{
	char	   *checksum;

	(void) check_sql(upgrade_sql, id, "upgrade", transactional);
	(void) check_sql(downgrade_sql, id, "downgrade", transactional);
	checksum = sm_checksum(upgrade_sql, downgrade_sql, transactional);
	sm_catalog_revision_write(true, id, message, down, labels, deps,
							  upgrade_sql, downgrade_sql, transactional, checksum);
}

/*
 * register_revision: the body of add_revision, also used by merge.  SPI
 * must be connected and the catalog lock held.  Returns the id.
 */
static char *
register_revision(char *id, const char *message, const char *upgrade_sql,
				  const char *downgrade_sql, List *down, bool down_given,
				  List *labels, List *deps, bool transactional)
{
	SmGraph    *g;
	SmRevision *existing;
	char	   *checksum;
	bool		same;
	ListCell   *lc;

	if (id != NULL && down_given && new_revision_is_clean(id, down, labels, deps))
	{
		insert_revision(id, message, upgrade_sql, downgrade_sql, down, labels,
						deps, transactional);
		return id;
	}

	g = graph_load(false);
	if (id == NULL)
		id = generate_id(g);
	sm_check_id(id, "revision id");
	if (is_reserved_name(id))
		ereport(ERROR,
				(errcode(ERRCODE_RESERVED_NAME),
				 errmsg("\"%s\" cannot be used as a revision id", id),
				 errdetail("head, heads, base and current are reserved target names.")));
	check_names(labels, "branch label", NULL);
	foreach(lc, labels)
	{
		const char *label = lfirst(lc);
		int			owner = graph_label_index(g, label);

		if (is_reserved_name(label))
			ereport(ERROR,
					(errcode(ERRCODE_RESERVED_NAME),
					 errmsg("\"%s\" cannot be used as a branch label", label),
					 errdetail("head, heads, base and current are reserved target names.")));
		if (strcmp(label, id) == 0 || graph_index_of(g, label) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("branch label \"%s\" is already a revision id", label)));
		if (owner >= 0 && strcmp(graph_revision(g, owner)->id, id) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("branch label \"%s\" is already used by revision \"%s\"",
							label, graph_revision(g, owner)->id)));
	}
	if (graph_label_index(g, id) >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("revision id \"%s\" is already a branch label of revision \"%s\"",
						id, graph_revision(g, graph_label_index(g, id))->id)));

	existing = graph_find(g, id);
	if (!down_given)
	{
		List	   *heads = graph_revision_set(g, SM_SET_HEADS);

		if (existing)
			down = existing->down;
		else if (list_length(heads) > 1)
		{
			StringInfoData buf;

			initStringInfo(&buf);
			foreach(lc, heads)
				appendStringInfo(&buf, "%s\"%s\"", buf.len > 0 ? ", " : "",
								 ((SmRevision *) lfirst(lc))->id);
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("several heads are present, so the new revision's parent is unclear"),
					 errdetail("The heads are %s.", buf.data),
					 errhint("Pass down_revisions, or merge the heads first with schemamig.merge().")));
		}
		else
			down = heads != NIL ? list_make1(((SmRevision *) linitial(heads))->id) : NIL;
	}
	check_names(down, "down revision", id);
	check_names(deps, "dependency", id);
	foreach(lc, down)
		if (graph_index_of(g, lfirst(lc)) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("down revision \"%s\" does not exist", (char *) lfirst(lc))));
	foreach(lc, deps)
	{
		const char *dep = lfirst(lc);

		if (graph_index_of(g, dep) >= 0 || graph_label_index(g, dep) >= 0)
			continue;
		/* a unique prefix stands for the full id, as "alembic revision --depends-on" stores it */
		lfirst(lc) = pstrdup(graph_resolve_dependency(g, dep));
	}

	if (!existing)
	{
		insert_revision(id, message, upgrade_sql, downgrade_sql, down, labels,
						deps, transactional);
		return id;
	}

	(void) check_sql(upgrade_sql, id, "upgrade", transactional);
	(void) check_sql(downgrade_sql, id, "downgrade", transactional);
	checksum = sm_checksum(upgrade_sql, downgrade_sql, transactional);

	same = strcmp(existing->checksum, checksum) == 0 &&
		sm_string_lists_equal(existing->down, down) &&
		sm_string_lists_equal(existing->labels, labels) &&
		sm_string_lists_equal(existing->depends, deps);

	if (same)
	{
		/* identical revision: a no-op, apart from a changed message */
		if (strcmp(existing->message, message) != 0)
			sm_catalog_revision_set_message(id, message);
		return id;
	}
	if (revision_applied(g, existing->index) &&
		sm_string_lists_equal(existing->down, down) && sm_string_lists_equal(existing->labels, labels) &&
		sm_string_lists_equal(existing->depends, deps))
	{
		bool		found;
		char	   *old_down = sm_catalog_revision_downgrade(id, &found);

		/*
		 * Only the downgrade changed (the upgrade and transactional give the
		 * old checksum with the old downgrade): an applied revision's
		 * downgrade may be corrected; the old text is kept.
		 */
		if (found && strcmp(sm_checksum(upgrade_sql, old_down, transactional),
							existing->checksum) == 0)
		{
			sm_catalog_revision_amend_downgrade(id, downgrade_sql, checksum);
			if (strcmp(existing->message, message) != 0)
				sm_catalog_revision_set_message(id, message);
			ereport(NOTICE,
					(errmsg("amended the downgrade of applied revision \"%s\"", id),
					 errdetail("The old downgrade SQL is kept in schemamig.revision_amendment; the upgrade is unchanged.")));
			return id;
		}
	}
	if (revision_applied(g, existing->index))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("revision \"%s\" is already applied and registered with different %s",
						id, strcmp(existing->checksum, checksum) != 0 ? "SQL" : "parents, labels or dependencies"),
				 errhint("Register the change as a new revision; only the downgrade of an applied revision may be corrected.")));
	sm_catalog_revision_write(false, id, message, down, labels, deps,
							  upgrade_sql, downgrade_sql, transactional, checksum);
	/* the new parents must not close a cycle */
	(void) graph_load(false);
	return id;
}

static List *
arg_list(FunctionCallInfo fcinfo, int n, const char *name)
{
	return PG_ARGISNULL(n) ? NIL : sm_text_array_to_list(PG_GETARG_ARRAYTYPE_P(n), name);
}

/*
 * add_revision(id, message, upgrade_sql, downgrade_sql, down_revisions,
 *				branch_labels, depends_on, transactional) -> id
 */
Datum
schemamig_add_revision(PG_FUNCTION_ARGS)
{
	char	   *id = PG_ARGISNULL(0) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *message = PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *up;
	char	   *down_sql = PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3));
	List	   *down = arg_list(fcinfo, 4, "down_revisions");
	List	   *labels = arg_list(fcinfo, 5, "branch_labels");
	List	   *deps = arg_list(fcinfo, 6, "depends_on");
	bool		transactional = arg_bool(fcinfo, 7, true);
	MemoryContext caller = CurrentMemoryContext;
	text	   *result;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("upgrade_sql must not be null"),
				 errhint("A revision without schema changes can use an empty string.")));
	up = text_to_cstring(PG_GETARG_TEXT_PP(2));

	sm_check_catalog_writable();
	sm_lock_catalog();
	sm_spi_connect();
	MemoryContextSwitchTo(caller);
	id = register_revision(id, message, up, down_sql, down, !PG_ARGISNULL(4),
						   labels, deps, transactional);
	/* SPI calls leave us in SPI memory: build the result where it survives */
	MemoryContextSwitchTo(caller);
	result = cstring_to_text(id);
	sm_spi_finish();
	PG_RETURN_TEXT_P(result);
}

/* merge(revisions text[], message text, id text) -> id */
Datum
schemamig_merge(PG_FUNCTION_ARGS)
{
	List	   *names = arg_list(fcinfo, 0, "revisions");
	char	   *message = PG_ARGISNULL(1) ? "merge" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *id = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
	MemoryContext caller = CurrentMemoryContext;
	text	   *result;
	SmGraph    *g;
	List	   *parents = NIL;
	List	   *down = NIL;
	ListCell   *lc;

	sm_check_catalog_writable();
	sm_lock_catalog();
	sm_spi_connect();
	MemoryContextSwitchTo(caller);
	g = graph_load(false);
	if (PG_ARGISNULL(0))
		names = list_make1("heads");
	foreach(lc, names)
	{
		ListCell   *lc2;

		foreach(lc2, target_resolve(g, lfirst(lc)))
		{
			SmRevision *rev = lfirst(lc2);

			if (rev == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cannot merge base")));
			if (!list_member_ptr(parents, rev))
				parents = lappend(parents, rev);
		}
	}
	if (list_length(parents) < 2)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("a merge needs at least two revisions, got %d", list_length(parents)),
				 PG_ARGISNULL(0) ? errdetail("The graph has only %d head.", list_length(parents)) : 0));
	graph_check_no_ancestors(g, parents);
	foreach(lc, parents)
		down = lappend(down, ((SmRevision *) lfirst(lc))->id);
	id = register_revision(id, message, "", "", down, true, NIL, NIL, true);
	MemoryContextSwitchTo(caller);
	result = cstring_to_text(id);
	sm_spi_finish();
	PG_RETURN_TEXT_P(result);
}

/* remove_revision(id): only when not applied and without children */
Datum
schemamig_remove_revision(PG_FUNCTION_ARGS)
{
	char	   *id;
	MemoryContext caller = CurrentMemoryContext;
	SmGraph    *g;
	SmRevision *rev;
	List	   *dependents;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("revision id must not be null")));
	id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sm_check_catalog_writable();
	sm_lock_catalog();
	sm_spi_connect();
	MemoryContextSwitchTo(caller);
	g = graph_load(false);
	rev = graph_find(g, id);
	if (rev == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("revision \"%s\" does not exist", id)));
	dependents = graph_dependents(g, rev);
	if (dependents != NIL)
	{
		StringInfoData buf;
		ListCell   *lc;

		initStringInfo(&buf);
		foreach(lc, dependents)
			appendStringInfo(&buf, "%s\"%s\"", buf.len > 0 ? ", " : "",
							 ((SmRevision *) lfirst(lc))->id);
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("cannot remove revision \"%s\" because other revisions depend on it", id),
				 errdetail("Revisions %s name it as a down revision or dependency.", buf.data)));
	}
	if (revision_applied(g, rev->index))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot remove revision \"%s\" because it is applied", id),
				 errhint("Downgrade it first, or stamp the version table below it.")));
	sm_catalog_revision_delete(id);
	sm_spi_finish();
	PG_RETURN_VOID();
}

/* common body of both stamp forms; returns the new version table */
static Datum
do_stamp(List *targets, bool purge)
{
	MemoryContext caller = CurrentMemoryContext;
	SmGraph    *g;
	List	   *before;
	List	   *after;
	TimestampTz started = GetCurrentTimestamp();
	Datum		result;

	sm_check_catalog_writable();
	sm_lock_catalog();
	sm_spi_connect();
	MemoryContextSwitchTo(caller);
	g = graph_load(false);
	before = sm_version_heads();
	after = graph_stamp_heads(g, before, targets, purge);
	sm_version_write(after);
	sm_log_step(NULL, "stamp", before, after, started, GetCurrentTimestamp(), NULL);
	sm_snapshot_record(after);
	/* SPI calls leave us in SPI memory: build the result where it survives */
	MemoryContextSwitchTo(caller);
	result = sm_text_array_datum(after);
	sm_spi_finish();
	return result;
}

/* stamp(target text, purge bool DEFAULT false) -> text[] */
Datum
schemamig_stamp(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("stamp target must not be null"),
				 errhint("Use \"base\" to empty the version table.")));
	PG_RETURN_DATUM(do_stamp(list_make1(text_to_cstring(PG_GETARG_TEXT_PP(0))),
							 arg_bool(fcinfo, 1, false)));
}

/* stamp(targets text[], purge bool DEFAULT false) -> text[] */
Datum
schemamig_stamp_many(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("stamp targets must not be null"),
				 errhint("Use an empty array or \"base\" to empty the version table.")));
	PG_RETURN_DATUM(do_stamp(sm_text_array_to_list(PG_GETARG_ARRAYTYPE_P(0), "targets"),
							 arg_bool(fcinfo, 1, false)));
}
