/*-------------------------------------------------------------------------
 *
 * drift.c
 *	  The drift event triggers (ddl_command_end, sql_drop), schema snapshots,
 *	  acknowledge_drift() and check().
 *
 * Any role that runs DDL is logged, and no role without rights on schemamig
 * can write or erase the log itself: the event-trigger functions write the
 * rows from C, which checks no privilege (so they need not be SECURITY
 * DEFINER, and resolve no name, so they need no search_path).  They must
 * never make ordinary DDL fail for an avoidable reason, so they do nothing
 * at all where logging is not wanted or not possible: while pg_schemamig
 * runs migration DDL (sm_migration_in_progress(): upgrade, downgrade, plan
 * steps and offline scripts), while an extension script runs,
 * during binary upgrade, for Citus's internal connections, and whenever the
 * drift table is missing (for example while DROP EXTENSION pg_schemamig
 * itself runs).
 *
 * They run for every DDL command in the database, so they are cheap: no
 * query at all.  The event data comes from calling the set-returning
 * functions pg_event_trigger_ddl_commands() and
 * pg_event_trigger_dropped_objects() directly in materialize mode, the
 * filters (tracked schemas, temporary objects, pg_toast, our own schema,
 * extension members) are C, and each row is inserted with
 * CatalogTupleInsert.  An SPI INSERT ... SELECT cost a quarter of the time of
 * a CREATE TABLE; this costs a few percent (test/bench/drift_bench.sh).
 *
 * src/drift/drift.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "catalog.h"
#include "drift.h"
#include "graph.h"
#include "introspect.h"
#include "migstate.h"
#include "sm_citus.h"
#include "subxact.h"

PG_FUNCTION_INFO_V1(schemamig_drift_ddl_command_end);
PG_FUNCTION_INFO_V1(schemamig_drift_sql_drop);
PG_FUNCTION_INFO_V1(schemamig_snapshot);
PG_FUNCTION_INFO_V1(schemamig_acknowledge_drift);
PG_FUNCTION_INFO_V1(schemamig_check);

/*
 * Object types that have no schema but are logged when every schema is
 * tracked: database-level objects.  Parts of relations that come without a
 * schema (a view's rewrite rule) are logged through their relation.
 */
static const char *const global_object_types[] = {
	"extension", "cast", "language", "foreign-data wrapper", "server",
	"user mapping", "publication", "publication relation",
	"publication namespace", "subscription", "access method", "transform",
	"default acl", NULL
};

/* What the event triggers need to write rows; looked up for every event. */
typedef struct DriftTarget
{
	Relation	rel;
	Oid			seqoid;
	Oid			idxoid;			/* schemamig.drift_id */
	List	   *tracked;		/* NIL: every non-system schema */
	char	   *role;
	const char *tag;			/* the event's command tag */
	bool		have_statement;
	char	   *statement;		/* computed on the first row */
	bool		citus;			/* Citus is installed: shards are left out */
} DriftTarget;

/*
 * drift_open decides, without any query, whether this DDL may be logged at
 * all, and if so opens schemamig.drift.  Returns false when nothing is to be
 * logged: pg_schemamig runs the DDL itself, an extension script or a binary
 * upgrade runs, Citus works through an internal connection, or the drift
 * table is missing (as while DROP EXTENSION pg_schemamig runs).
 */
static bool
drift_open(DriftTarget *target, const char *tag)
{
	Oid			nsp;
	Oid			relid;
	bool		all;

	if (sm_migration_in_progress() || creating_extension || IsBinaryUpgrade)
		return false;
	if (!IsTransactionState())
		return false;
	/* Citus's own work: DDL it runs while processing the user's statement */
	if (sm_utility_is_internal() && sm_citus_present())
		return false;
	nsp = get_namespace_oid(SM_SCHEMA, true);
	if (!OidIsValid(nsp))
		return false;
	relid = get_relname_relid("drift", nsp);
	target->seqoid = get_relname_relid("drift_id_seq", nsp);
	target->idxoid = get_relname_relid("drift_id", nsp);
	if (!OidIsValid(relid) || !OidIsValid(target->seqoid) ||
		!OidIsValid(target->idxoid))
		return false;

	target->tracked = sm_tracked_schema_list(&all);
	target->citus = sm_citus_present();

	/* the role that ran the DDL */
	target->role = GetUserNameFromId(GetUserId(), true);
	if (target->role == NULL)
		target->role = psprintf("%u", GetUserId());
	target->tag = tag;
	target->have_statement = false;
	target->statement = NULL;
	target->rel = table_open(relid, RowExclusiveLock);
	return true;
}

/*
 * drift_tracked says whether an object in schema "nsp" (NULL: none) of type
 * "type", logged by command "tag", belongs in the log.
 */
static bool
drift_tracked(DriftTarget *target, const char *nsp, const char *type,
			  const char *tag)
{
	ListCell   *lc;

	if (nsp == NULL)
	{
		const char *const *t;

		if (target->tracked != NIL)
			return false;
		if (strcmp(tag, "GRANT") == 0 || strcmp(tag, "REVOKE") == 0)
			return true;
		for (t = global_object_types; *t != NULL; t++)
		{
			if (strcmp(type, *t) == 0)
				return true;
		}
		return false;
	}
	if (strncmp(nsp, "pg_", 3) == 0 ||
		strcmp(nsp, "information_schema") == 0 ||
		strcmp(nsp, SM_SCHEMA) == 0)
		return false;
	if (target->tracked == NIL)
		return true;
	foreach(lc, target->tracked)
	{
		if (strcmp(nsp, (const char *) lfirst(lc)) == 0)
			return true;
	}
	return false;
}

/*
 * drift_shard_identity: does an object identity ("public.orders_102009",
 * "orders_pkey_102009 on public.orders_102009") name a Citus shard or a
 * shard's index or constraint?
 */
static bool
drift_shard_identity(const char *identity)
{
	const char *dot;
	char	   *name;
	size_t		len;

	if (identity == NULL)
		return false;
	dot = strrchr(identity, '.');
	name = pstrdup(dot ? dot + 1 : identity);
	len = strlen(name);
	if (len >= 2 && name[0] == '"' && name[len - 1] == '"')
	{
		name[len - 1] = '\0';
		name++;
	}
	return sm_citus_shard_name(name);
}

/* one text value, or NULL */
static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

/* is "id" already used by a row of schemamig.drift? */
static bool
drift_id_used(DriftTarget *target, int64 id)
{
	ScanKeyData key;
	SysScanDesc scan;
	bool		used;

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(id));
	scan = systable_beginscan(target->rel, target->idxoid, true, NULL, 1, &key);
	used = HeapTupleIsValid(systable_getnext(scan));
	systable_endscan(scan);
	return used;
}

/*
 * drift_next_id: the next id of the sequence that no row uses.  After a
 * restore the sequence can lag behind the rows (the dump's setval comes
 * after the restore's own rows were renumbered, see
 * schemamig._drift_restored), and an id must never name two rows:
 * acknowledge_drift(n) acknowledges what its caller saw up to n.
 */
static int64
drift_next_id(DriftTarget *target)
{
	for (;;)
	{
		int64		id = nextval_internal(target->seqoid, false);

		if (!drift_id_used(target, id))
			return id;
	}
}

/*
 * drift_insert writes one row.  The row is formed by column name, so the
 * table may gain columns in later versions (they are left NULL).  The table
 * has only plain indexes, which CatalogTupleInsert maintains.
 */
static void
drift_insert(DriftTarget *target, const char *tag, const char *type,
			 const char *identity, const char *nsp)
{
	TupleDesc	desc = RelationGetDescr(target->rel);
	Datum	   *values = palloc0(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	HeapTuple	tuple;
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		const char *name = NameStr(att->attname);

		nulls[i] = false;
		if (att->attisdropped)
			nulls[i] = true;
		else if (strcmp(name, "id") == 0)
			values[i] = Int64GetDatum(drift_next_id(target));
		else if (strcmp(name, "logged_at") == 0)
			values[i] = TimestampTzGetDatum(GetCurrentTimestamp());
		else if (strcmp(name, "role") == 0)
			values[i] = DirectFunctionCall1(namein, CStringGetDatum(target->role));
		else if (strcmp(name, "application_name") == 0)
			values[i] = CStringGetTextDatum(application_name ? application_name : "");
		else if (strcmp(name, "command_tag") == 0)
			values[i] = CStringGetTextDatum(tag);
		else if (strcmp(name, "object_type") == 0)
			values[i] = text_or_null(type, &nulls[i]);
		else if (strcmp(name, "object_identity") == 0)
			values[i] = text_or_null(identity, &nulls[i]);
		else if (strcmp(name, "schema_name") == 0)
			values[i] = text_or_null(nsp, &nulls[i]);
		else if (strcmp(name, "statement") == 0)
		{
			/* the command's own text, secrets redacted (drift_statement.c) */
			if (!target->have_statement)
			{
				target->statement = sm_drift_statement(target->tag);
				target->have_statement = true;
			}
			values[i] = text_or_null(target->statement, &nulls[i]);
		}
		else if (strcmp(name, "acknowledged") == 0)
			values[i] = BoolGetDatum(false);
		else
			nulls[i] = true;
	}
	tuple = heap_form_tuple(desc, values, nulls);
	CatalogTupleInsert(target->rel, tuple);
	heap_freetuple(tuple);
}

/*
 * event_rows calls one of the event-trigger set-returning functions
 * (pg_event_trigger_ddl_commands, pg_event_trigger_dropped_objects) the way
 * the executor would in materialize mode, without a query.
 */
static Tuplestorestate *
event_rows(Oid fn_oid, TupleDesc *desc)
{
	FmgrInfo	flinfo;
	LOCAL_FCINFO(fcinfo, 0);
	ReturnSetInfo rsinfo;
	ExprContext *econtext = CreateStandaloneExprContext();

	fmgr_info(fn_oid, &flinfo);
	MemSet(&rsinfo, 0, sizeof(rsinfo));
	rsinfo.type = T_ReturnSetInfo;
	rsinfo.econtext = econtext;
	rsinfo.allowedModes = SFRM_Materialize;
	rsinfo.returnMode = SFRM_Materialize;
	InitFunctionCallInfoData(*fcinfo, &flinfo, 0, InvalidOid, NULL, (Node *) &rsinfo);
	(void) FunctionCallInvoke(fcinfo);
	if (rsinfo.returnMode != SFRM_Materialize || rsinfo.setDesc == NULL)
		elog(ERROR, "function %u did not return a materialized set", fn_oid);
	FreeExprContext(econtext, true);
	*desc = rsinfo.setDesc;
	return rsinfo.setResult;
}

/* column number of "name" in "desc"; the event functions' columns are fixed */
static int
event_column(TupleDesc desc, const char *name)
{
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		if (strcmp(NameStr(TupleDescAttr(desc, i)->attname), name) == 0)
			return i + 1;
	}
	elog(ERROR, "event trigger function has no column \"%s\"", name);
	return 0;					/* keep compiler quiet */
}

static char *
slot_text(TupleTableSlot *slot, int col)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

static bool
slot_bool(TupleTableSlot *slot, int col)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, col, &isnull);

	return !isnull && DatumGetBool(d);
}

/*
 * drift_log_commands logs the commands of a ddl_command_end event.  A
 * schema's own schema is its name.
 */
static void
drift_log_commands(DriftTarget *target)
{
	TupleDesc	desc;
	Tuplestorestate *rows = event_rows(F_PG_EVENT_TRIGGER_DDL_COMMANDS, &desc);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	int			c_classid = event_column(desc, "classid");
	int			c_objid = event_column(desc, "objid");
	int			c_tag = event_column(desc, "command_tag");
	int			c_type = event_column(desc, "object_type");
	int			c_schema = event_column(desc, "schema_name");
	int			c_identity = event_column(desc, "object_identity");
	int			c_in_extension = event_column(desc, "in_extension");

	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		isnull;
		char	   *tag = slot_text(slot, c_tag);
		char	   *type = slot_text(slot, c_type);
		char	   *identity = slot_text(slot, c_identity);
		char	   *nsp = slot_text(slot, c_schema);
		Oid			classid = DatumGetObjectId(slot_getattr(slot, c_classid, &isnull));

		/* refreshing a materialized view changes its data, not the schema */
		if (tag == NULL || slot_bool(slot, c_in_extension) ||
			strcmp(tag, "REFRESH MATERIALIZED VIEW") == 0)
			continue;
		if (classid == NamespaceRelationId)
			nsp = get_namespace_name(DatumGetObjectId(slot_getattr(slot, c_objid, &isnull)));
		if (type != NULL && strcmp(type, "extension") == 0 &&
			identity != NULL && strcmp(identity, "pg_schemamig") == 0)
			continue;
		if (target->citus && drift_shard_identity(identity))
			continue;
		if (drift_tracked(target, nsp, type ? type : "", tag))
			drift_insert(target, tag, type, identity, nsp);
	}
	ExecDropSingleTupleTableSlot(slot);
	tuplestore_end(rows);
}

/*
 * drift_log_drops logs the objects of an sql_drop event: those the command
 * named and those it dropped through a normal dependency (CASCADE), except
 * for DROP EXTENSION, whose members look like that too.
 */
static void
drift_log_drops(DriftTarget *target, const char *tag)
{
	TupleDesc	desc;
	Tuplestorestate *rows = event_rows(F_PG_EVENT_TRIGGER_DROPPED_OBJECTS, &desc);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	int			c_original = event_column(desc, "original");
	int			c_normal = event_column(desc, "normal");
	int			c_temporary = event_column(desc, "is_temporary");
	int			c_type = event_column(desc, "object_type");
	int			c_schema = event_column(desc, "schema_name");
	int			c_name = event_column(desc, "object_name");
	int			c_identity = event_column(desc, "object_identity");
	bool		cascaded = strcmp(tag, "DROP EXTENSION") != 0;

	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		char	   *type;
		char	   *nsp;

		if (!(slot_bool(slot, c_original) ||
			  (cascaded && slot_bool(slot, c_normal))) ||
			slot_bool(slot, c_temporary))
			continue;
		type = slot_text(slot, c_type);
		if (type != NULL && strcmp(type, "schema") == 0)
			nsp = slot_text(slot, c_name);
		else
			nsp = slot_text(slot, c_schema);
		if (target->citus && drift_shard_identity(slot_text(slot, c_identity)))
			continue;
		if (drift_tracked(target, nsp, type ? type : "", tag))
			drift_insert(target, tag, type, slot_text(slot, c_identity), nsp);
	}
	ExecDropSingleTupleTableSlot(slot);
	tuplestore_end(rows);
}

/*
 * drift_event logs the commands (ddl_command_end) or the dropped objects
 * (sql_drop, "tag" naming the command) of the current event, if it is to be
 * logged at all, with every allocation in a private memory context.
 */
static void
drift_event(bool drops, const char *tag)
{
	MemoryContext ctx;
	MemoryContext old;
	DriftTarget target;

	ctx = AllocSetContextCreate(CurrentMemoryContext, "schemamig drift",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(ctx);
	if (drift_open(&target, tag))
	{
		if (drops)
			drift_log_drops(&target, tag);
		else
			drift_log_commands(&target);
		table_close(target.rel, RowExclusiveLock);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(ctx);
}

/*
 * schemamig.drift_ddl_command_end(): event trigger on ddl_command_end.
 */
Datum
schemamig_drift_ddl_command_end(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"drift_ddl_command_end\" must be called as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;

	/* drops are logged by the sql_drop trigger, with the dropped objects */
	if (trigdata->parsetree != NULL && IsA(trigdata->parsetree, DropStmt))
		PG_RETURN_VOID();
	drift_event(false, GetCommandTagName(trigdata->tag));
	PG_RETURN_VOID();
}

/*
 * schemamig.drift_sql_drop(): event trigger on sql_drop.
 */
Datum
schemamig_drift_sql_drop(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"drift_sql_drop\" must be called as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;

	drift_event(true, GetCommandTagName(trigdata->tag));
	PG_RETURN_VOID();
}

/* ---------------------------------------------------------------------
 * Snapshots
 * ---------------------------------------------------------------------
 */

/* snapshot_take records a snapshot of "heads" and returns its fingerprint. */
static char *
snapshot_take(List *heads)
{
	List	   *schemas;
	bool		all;
	char	   *fingerprint;

	Jsonb	   *description;

	schemas = sm_tracked_schema_list(&all);
	description = sm_describe(schemas, all);
	fingerprint = sm_fingerprint_of(description);
	sm_catalog_snapshot_insert(heads, schemas, all, fingerprint,
							   SM_FINGERPRINT_ALGORITHM, description);
	pfree(description);
	return fingerprint;
}

void
sm_snapshot_record(List *heads)
{

	/*
	 * The migration holds its locks (ACCESS EXCLUSIVE on what it changed):
	 * waiting here for another session's lock on some table would keep
	 * application queries queued behind ours.  Describe without waiting,
	 * in a subtransaction, and record no snapshot if a table is locked.
	 */
	{
		bool		all;
		List	   *schemas = sm_tracked_schema_list(&all);
		char	   *blocked = sm_describe_is_blocked(schemas, all);

		if (blocked != NULL)
		{
			ereport(WARNING,
					(errcode(ERRCODE_LOCK_NOT_AVAILABLE),
					 errmsg("schema snapshot not recorded: another session holds a lock on table %s", blocked),
					 errdetail("A migration does not wait for other sessions' locks while it holds its own."),
					 errhint("Run SELECT schemamig.snapshot() once the lock is released.")));
			return;
		}
	}

	/* a lock taken between the probe and the description: still no wait */
	sm_subxact_begin();
	PG_TRY();
	{
		int			nestlevel = NewGUCNestLevel();

		(void) set_config_option("lock_timeout", "1", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		(void) snapshot_take(heads);
		AtEOXact_GUC(true, nestlevel);
		sm_subxact_commit();
	}
	PG_CATCH();
	{
		ErrorData  *edata = sm_subxact_abort_caught();

		if (edata->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE)
			ReThrowError(edata);
		ereport(WARNING,
				(errcode(ERRCODE_LOCK_NOT_AVAILABLE),
				 errmsg("schema snapshot not recorded: another session holds a lock on a table of the tracked schemas"),
				 errdetail("%s; a migration does not wait for other sessions' locks while it holds its own.",
						   edata->message),
				 errhint("Run SELECT schemamig.snapshot() once the lock is released.")));
		FreeErrorData(edata);
	}
	PG_END_TRY();
}

/*
 * schemamig.snapshot() → text: records the current schema as the expected
 * one for the current heads (after an intended change by hand).
 */
Datum
schemamig_snapshot(PG_FUNCTION_ARGS)
{
	char	   *fingerprint;
	text	   *result;

	sm_check_catalog_writable();
	sm_lock_catalog();
	sm_spi_connect();
	fingerprint = snapshot_take(sm_version_heads());
	result = cstring_to_text(fingerprint);
	sm_spi_finish();
	PG_RETURN_TEXT_P(result);
}

/*
 * schemamig.acknowledge_drift(upto_id bigint DEFAULT NULL) → bigint
 */
Datum
schemamig_acknowledge_drift(PG_FUNCTION_ARGS)
{
	uint64		n;

	sm_check_catalog_writable();
	sm_spi_connect();
	n = sm_catalog_drift_acknowledge(PG_ARGISNULL(0),
									 PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0),
									 GetUserNameFromId(GetUserId(), false));
	sm_spi_finish();
	PG_RETURN_INT64((int64) n);
}

/* ---------------------------------------------------------------------
 * check()
 * ---------------------------------------------------------------------
 */

static void
check_row(ReturnSetInfo *rsinfo, const char *severity, const char *problem,
		  const char *detail)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	values[0] = CStringGetTextDatum(severity);
	values[1] = CStringGetTextDatum(problem);
	values[2] = CStringGetTextDatum(detail);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * check_version_table: what is wrong with the version table itself (a
 * caller that bypassed the catalog lock, or rows written by hand): a row
 * naming no registered revision, and a row naming an ancestor of another
 * row (Alembic's table holds only heads).  Returns detail strings.
 */
static List *
check_version_table(SmGraph *g)
{
	List	   *rows = sm_version_heads();
	List	   *problems = NIL;
	ListCell   *lc;

	foreach(lc, rows)
	{
		const char *id = lfirst(lc);

		if (graph_find(g, id) == NULL)
			problems = lappend(problems,
							   psprintf("the version table names revision %s, which is not registered", id));
	}
	foreach(lc, graph_redundant_rows(g, rows))
		problems = lappend(problems,
						   psprintf("the version table names revision %s together with a revision that builds on it",
									(char *) lfirst(lc)));
	return problems;
}

/*
 * check_graph_load loads the revision graph inside a subtransaction: an
 * error becomes an "invalid graph" row, and a valid graph with several heads
 * a "multiple heads" warning.
 */
static void
check_graph_load(ReturnSetInfo *rsinfo)
{
	char	   *volatile heads_detail = NULL;
	char	   *volatile error_detail = NULL;
	List	   *volatile version_problems = NIL;
	ListCell   *lc;

	sm_subxact_begin();
	PG_TRY();
	{
		SmGraph    *g = graph_load(false);
		List	   *heads = graph_heads(g);

		version_problems = check_version_table(g);
		if (list_length(heads) > 1)
		{
			StringInfoData buf;
			ListCell   *lc;

			initStringInfo(&buf);
			foreach(lc, heads)
				appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
								 (char *) lfirst(lc));
			heads_detail = buf.data;
		}
		sm_subxact_commit();
	}
	PG_CATCH();
	{
		ErrorData  *edata = sm_subxact_abort_caught();

		error_detail = pstrdup(edata->message);
		FreeErrorData(edata);
	}
	PG_END_TRY();

	if (error_detail != NULL)
		check_row(rsinfo, "error", "invalid graph", error_detail);
	foreach(lc, version_problems)
		check_row(rsinfo, "error", "invalid version table", lfirst(lc));
	if (heads_detail != NULL)
		check_row(rsinfo, "warning", "multiple heads",
				  psprintf("the revision graph has several heads: %s; \"head\" is ambiguous until they are merged",
						   heads_detail));
}

/*
 * check_graph reports unknown parents and dependencies and cycles as rows
 * (graph_load would stop at the first), then whatever else graph_load
 * refuses, and several heads.  A depends_on entry may name a revision or a
 * branch label.
 */
static void
check_graph(ReturnSetInfo *rsinfo)
{
	SmRevision **revs;
	int			n;
	List	   *missing;
	List	   *cyclic = NIL;
	ListCell   *lc;

	revs = sm_catalog_revisions(false, &n);
	missing = graph_missing_parents(revs, n);
	foreach(lc, missing)
	{
		SmMissingParent *m = lfirst(lc);

		check_row(rsinfo, "error", "missing parent",
				  psprintf("revision %s names unknown %s %s", m->id, m->kind, m->name));
	}

	/*
	 * With every parent present, a revision that no walk up from a base
	 * reaches lies on or after a cycle.
	 */
	if (missing == NIL)
	{
		cyclic = graph_unreachable(revs, n);
		if (cyclic != NIL)
		{
			StringInfoData buf;

			initStringInfo(&buf);
			foreach(lc, cyclic)
				appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", (char *) lfirst(lc));
			check_row(rsinfo, "error", "cycle",
					  psprintf("revisions on or after a cycle: %s", buf.data));
		}
	}

	/*
	 * Otherwise build the graph as every other call does: anything else it
	 * refuses is a problem too, and it knows the heads.
	 */
	if (missing == NIL && cyclic == NIL)
		check_graph_load(rsinfo);
}

/*
 * check_checksums reports revisions whose stored checksum no longer matches
 * their SQL, and applied revisions whose checksum changed since the upgrade
 * that applied them was logged.
 */
static void
check_checksums(ReturnSetInfo *rsinfo)
{
	MemoryContext loop;
	MemoryContext old;
	ListCell   *lc;

	loop = AllocSetContextCreate(CurrentMemoryContext, "schemamig check",
								 ALLOCSET_DEFAULT_SIZES);
	foreach(lc, sm_catalog_checksummed_revisions(SM_CHECKSUM_ALGORITHM))
	{
		SmRevision *rev = lfirst(lc);
		char	   *actual;
		bool		differs;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(loop);
		actual = sm_checksum(rev->upgrade_sql, rev->downgrade_sql, rev->transactional);
		differs = rev->checksum == NULL || strcmp(actual, rev->checksum) != 0;
		MemoryContextSwitchTo(old);
		if (differs)
			check_row(rsinfo, "error", "checksum mismatch",
					  psprintf("the SQL of revision %s no longer matches its stored checksum", rev->id));
		MemoryContextReset(loop);
	}
	MemoryContextDelete(loop);

	foreach(lc, sm_catalog_changed_since_applied())
		check_row(rsinfo, "error", "checksum changed",
				  psprintf("revision %s was applied with a different checksum than it has now",
						   (char *) lfirst(lc)));
}

/* check_drift_log reports every unacknowledged drift row, oldest first. */
static void
check_drift_log(ReturnSetInfo *rsinfo)
{
	ListCell   *lc;

	foreach(lc, sm_catalog_unacknowledged_drift())
	{
		SmDriftRow *r = lfirst(lc);

		check_row(rsinfo, "warning", "drift",
				  psprintf("#%s %s %s by %s", r->id, r->command_tag, r->object, r->role));
	}
}

/*
 * fingerprint_or_busy: the live fingerprint over the snapshot's schemas, or
 * NULL after a "schema not compared" row when a table is locked by another
 * session for longer than schemamig.lock_timeout.
 */
static char *
fingerprint_or_busy(SmSnapshotRow *snap, ReturnSetInfo *rsinfo)
{
	char	   *volatile live = NULL;

	sm_subxact_begin();
	PG_TRY();
	{
		live = sm_fingerprint(snap->schemas, snap->all_schemas);
		sm_subxact_commit();
	}
	PG_CATCH();
	{
		ErrorData  *edata = sm_subxact_abort_caught();

		if (edata->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE)
			ReThrowError(edata);
		check_row(rsinfo, "warning", "schema not compared",
				  psprintf("the live schema could not be described: %s", edata->message));
		FreeErrorData(edata);
		live = NULL;
	}
	PG_END_TRY();
	return live;
}

/*
 * check_fingerprint compares the live schema with the latest snapshot of
 * the current heads, over the schemas that snapshot covered.
 */
static void
check_fingerprint(ReturnSetInfo *rsinfo)
{
	List	   *heads = sm_version_heads();
	SmSnapshotRow snap;
	char	   *live;

	if (!sm_catalog_latest_snapshot(&snap))
	{
		if (heads != NIL)
			check_row(rsinfo, "warning", "no snapshot",
					  "No schema snapshot was recorded at the current heads; run schemamig.snapshot() once the schema is as expected.");
		return;
	}
	if (strcmp(snap.algorithm, SM_FINGERPRINT_ALGORITHM) != 0)
	{
		check_row(rsinfo, "info", "outdated snapshot",
				  psprintf("snapshot #%s was taken with fingerprint algorithm %s, not %s; run schemamig.snapshot() to compare again",
						   snap.id, snap.algorithm, SM_FINGERPRINT_ALGORITHM));
		return;
	}
	live = fingerprint_or_busy(&snap, rsinfo);
	if (live != NULL && strcmp(live, snap.fingerprint) != 0)
		check_row(rsinfo, "error", "schema drift",
				  psprintf("the live schema differs from snapshot #%s taken at %s", snap.id,
						   snap.heads ? snap.heads : "base"));
}

/*
 * check_shards reports Citus shards whose schema differs from their
 * distributed table's (DDL run directly on a worker).
 */
static void
check_shards(ReturnSetInfo *rsinfo)
{
	ListCell   *lc;

	foreach(lc, sm_citus_shard_differences())
		check_row(rsinfo, "error", "shard drift", (const char *) lfirst(lc));
}

/*
 * schemamig.check() → TABLE(severity text, problem text, detail text)
 */
Datum
schemamig_check(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	sm_citus_require_coordinator();
	InitMaterializedSRF(fcinfo, 0);
	sm_spi_connect();
	check_graph(rsinfo);
	check_checksums(rsinfo);
	check_drift_log(rsinfo);
	check_fingerprint(rsinfo);
	check_shards(rsinfo);
	sm_spi_finish();
	return (Datum) 0;
}
