/*-------------------------------------------------------------------------
 *
 * citus.c
 *	  What pg_schemamig does differently when Citus is installed (DESIGN §5):
 *	  refuse to run on a worker, carry the per-revision lock timeout to the
 *	  workers, run migrations in sequential mode where parallel mode could
 *	  fail, keep shards out of the
 *	  drift log and of describe(), and measure distributed tables by their
 *	  shards.  Citus is never linked against: everything here goes through
 *	  its catalog tables and SQL functions, and does nothing where Citus is
 *	  not installed.
 *
 * src/catalog/citus.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/xact.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "catalog/pg_namespace.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "pg_schemamig.h"
#include "sm_citus.h"

PG_FUNCTION_INFO_V1(schemamig_citus_shard);

/*
 * sm_citus_present: is the citus extension installed in this database?
 * Looked up once per transaction: it is asked for every revision run and
 * every DDL the drift triggers see.
 */
bool
sm_citus_present(void)
{
	static LocalTransactionId checked = InvalidLocalTransactionId;
	static bool present = false;

	if (!IsTransactionState())
		return false;
	if (checked != MyProc->lxid)
	{
		present = OidIsValid(get_extension_oid("citus", true));
		checked = MyProc->lxid;
	}
	return present;
}

/* a pg_catalog table of Citus's, or InvalidOid */
static Oid
citus_catalog(const char *name)
{
	return get_relname_relid(name, PG_CATALOG_NAMESPACE);
}

/* the int4 column "col" of the first row of a Citus catalog, or -1 */
static int32
citus_local_group(void)
{
	Oid			relid = citus_catalog("pg_dist_local_group");
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tuple;
	int32		group = -1;

	if (!OidIsValid(relid))
		return -1;
	rel = table_open(relid, AccessShareLock);
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 0, NULL);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
	{
		AttrNumber	att = get_attnum(relid, "groupid");
		bool		isnull;
		Datum		d;

		if (att != InvalidAttrNumber)
		{
			d = heap_getattr(tuple, att, RelationGetDescr(rel), &isnull);
			if (!isnull)
				group = DatumGetInt32(d);
		}
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return group;
}

/* "host:port" of the coordinator (group 0) from pg_dist_node, or NULL */
static char *
citus_coordinator_address(void)
{
	Oid			relid = citus_catalog("pg_dist_node");
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tuple;
	AttrNumber	a_group,
				a_name,
				a_port;
	char	   *result = NULL;

	if (!OidIsValid(relid))
		return NULL;
	a_group = get_attnum(relid, "groupid");
	a_name = get_attnum(relid, "nodename");
	a_port = get_attnum(relid, "nodeport");
	if (a_group == InvalidAttrNumber || a_name == InvalidAttrNumber ||
		a_port == InvalidAttrNumber)
		return NULL;
	rel = table_open(relid, AccessShareLock);
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 0, NULL);
	while (result == NULL && HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		TupleDesc	desc = RelationGetDescr(rel);
		bool		n1,
					n2,
					n3;
		Datum		g = heap_getattr(tuple, a_group, desc, &n1);
		Datum		name = heap_getattr(tuple, a_name, desc, &n2);
		Datum		port = heap_getattr(tuple, a_port, desc, &n3);

		if (!n1 && !n2 && !n3 && DatumGetInt32(g) == 0)
			result = psprintf("%s:%d", TextDatumGetCString(name),
							  DatumGetInt32(port));
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return result;
}

/*
 * sm_citus_require_coordinator refuses to go on on a Citus worker: the
 * catalog lives on the coordinator, and a worker's copy of it is empty and
 * must stay so (a revision applied there would diverge from every shard).
 * Reading calls are refused too, rather than answering an empty history.
 */
void
sm_citus_require_coordinator(void)
{
	int32		group;
	char	   *coordinator;

	if (!sm_citus_present())
		return;
	group = citus_local_group();
	if (group <= 0)
		return;					/* the coordinator, or a single node */
	coordinator = citus_coordinator_address();
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("pg_schemamig does not run on a Citus worker"),
			 errdetail("This node is a worker of group %d; the revisions, the version table and the log live on the coordinator.",
					   group),
			 coordinator ?
			 errhint("Run this on the coordinator (%s).", coordinator) :
			 errhint("Run this on the coordinator.")));
}

/*
 * sm_citus_shard_name says whether "relname" names a shard: it ends in
 * _<shardid> for a shard id that pg_dist_shard knows.  Shard indexes and
 * constraints carry the same suffix.  In a backend Citus opened itself
 * (application_name citus_internal…), the suffix alone is enough: the shard
 * is being created there by a transaction whose pg_dist_shard rows this
 * backend cannot see yet.  A session that only pretends to be Citus's hides
 * nothing but names shaped like shards.
 */
bool
sm_citus_shard_name(const char *relname)
{
	const char *p;
	const char *digits;
	int64		shardid;
	Oid			relid;
	Oid			indexid;
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	bool		found;
	AttrNumber	att;

	if (relname == NULL)
		return false;
	p = relname + strlen(relname);
	while (p > relname && p[-1] >= '0' && p[-1] <= '9')
		p--;
	digits = p;
	if (*digits == '\0' || p == relname || p[-1] != '_' || strlen(digits) > 18)
		return false;
	if (application_name != NULL &&
		strncmp(application_name, "citus_internal", strlen("citus_internal")) == 0)
		return true;
	relid = citus_catalog("pg_dist_shard");
	indexid = citus_catalog("pg_dist_shard_shardid_index");
	if (!OidIsValid(relid))
		return false;
	att = get_attnum(relid, "shardid");
	if (att == InvalidAttrNumber)
		return false;
	shardid = strtoi64(digits, NULL, 10);
	ScanKeyInit(&key, att, BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(shardid));
	rel = table_open(relid, AccessShareLock);
	scan = systable_beginscan(rel, indexid, OidIsValid(indexid), NULL, 1, &key);
	found = HeapTupleIsValid(systable_getnext(scan));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * schemamig._citus_shard(regclass) → bool: is this relation a Citus shard?
 * describe() leaves shards out with it, whatever
 * citus.show_shards_for_app_name_prefixes says.  Whether Citus is installed
 * is looked up once per query (fn_extra).
 */
Datum
schemamig_citus_shard(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	char	   *relname;

	if (fcinfo->flinfo->fn_extra == NULL)
	{
		char	   *present = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, 1);

		*present = sm_citus_present() ? 'y' : 'n';
		fcinfo->flinfo->fn_extra = present;
	}
	if (*(char *) fcinfo->flinfo->fn_extra != 'y')
		PG_RETURN_BOOL(false);
	relname = get_rel_name(relid);
	PG_RETURN_BOOL(relname != NULL && sm_citus_shard_name(relname));
}

/* runs "SET LOCAL name = value" so that Citus forwards it to the workers */
static void
citus_set_local(const char *name, const char *value)
{
	char	   *sql;
	int			rc;

	/*
	 * Citus forwards SET LOCAL only inside what it takes for a transaction
	 * block; a DO block is one, also inside an autocommit upgrade() call.
	 */
	sql = psprintf("DO $sm$BEGIN SET LOCAL %s = %s; END$sm$",
				   quote_identifier(name), quote_literal_cstr(value));
	rc = SPI_execute(sql, false, 0);
	if (rc < 0)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
	pfree(sql);
}

/*
 * The lock timeout that the running call (sm_citus_call_begin) has sent to
 * the workers, "" when none: its revisions need not send it again.  And
 * whether a call is running: then the call chose the execution mode.
 */
static char call_lock_timeout[32] = "";
static bool call_running = false;

/*
 * citus_plain_table_ddl: is this statement one that Citus runs in parallel
 * without a conflict with a parallel operation before it in the
 * transaction: SET, CREATE INDEX, or ALTER TABLE adding no foreign key?
 * Anything else (DML, functions, types, foreign keys) may be refused after
 * a parallel multi-shard operation, which only sequential mode avoids.
 */
static bool
citus_plain_table_ddl(const SmStatement *st)
{
	List	   *raw;
	AlterTableStmt *alter;
	ListCell   *lc;

	if (st->tag == T_VariableSetStmt || st->tag == T_IndexStmt)
		return true;
	if (st->tag != T_AlterTableStmt)
		return false;
	raw = raw_parser(st->sql, RAW_PARSE_DEFAULT);
	if (list_length(raw) != 1 ||
		!IsA(linitial_node(RawStmt, raw)->stmt, AlterTableStmt))
		return false;
	alter = (AlterTableStmt *) linitial_node(RawStmt, raw)->stmt;
	if (alter->objtype != OBJECT_TABLE)
		return false;
	foreach(lc, alter->cmds)
	{
		AlterTableCmd *cmd = lfirst_node(AlterTableCmd, lc);
		ListCell   *lcc;

		if (cmd->subtype == AT_AddConstraint && IsA(cmd->def, Constraint) &&
			((Constraint *) cmd->def)->contype == CONSTR_FOREIGN)
			return false;
		if (cmd->subtype != AT_AddColumn || !IsA(cmd->def, ColumnDef))
			continue;
		foreach(lcc, ((ColumnDef *) cmd->def)->constraints)
		{
			if (lfirst_node(Constraint, lcc)->contype == CONSTR_FOREIGN)
				return false;
		}
	}
	return true;
}

/*
 * citus_reference_links: does a foreign key join a Citus table to a
 * reference table or a Citus local table?  Citus then runs DDL on the
 * tables concerned sequentially, which fails after any parallel operation
 * in the transaction.  SPI must be connected.
 */
static bool
citus_reference_links(void)
{
	int			rc;
	bool		isnull;
	Datum		d;

	rc = SPI_execute("SELECT EXISTS (SELECT FROM pg_catalog.pg_constraint c"
					 " JOIN pg_catalog.pg_dist_partition a ON a.logicalrelid::pg_catalog.oid OPERATOR(pg_catalog.=) c.conrelid"
					 " JOIN pg_catalog.pg_dist_partition b ON b.logicalrelid::pg_catalog.oid OPERATOR(pg_catalog.=) c.confrelid"
					 " WHERE c.contype OPERATOR(pg_catalog.=) 'f'"
					 " AND (a.partmethod OPERATOR(pg_catalog.<>) 'h' OR b.partmethod OPERATOR(pg_catalog.<>) 'h'))",
					 true, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return !isnull && DatumGetBool(d);
}

/*
 * citus_needs_sequential decides the execution mode of one call from all
 * the statements of its revisions: parallel, Citus's default, when every
 * statement is plain table DDL and no foreign key involves a reference or
 * Citus local table; sequential otherwise (one connection per worker), so
 * that for example a multi-shard UPDATE may be followed by DDL on a table
 * with a foreign key to a reference table, or parallel DDL by CREATE TYPE.
 */
static bool
citus_needs_sequential(List *stmts)
{
	ListCell   *lc;

	foreach(lc, stmts)
	{
		if (!citus_plain_table_ddl(lfirst(lc)))
			return true;
	}
	return citus_reference_links();
}

/*
 * sm_citus_call_begin prepares one upgrade()/downgrade()/_apply_step()
 * call, whose revisions' statements are "stmts", inside a GUC nest level of
 * the call's own: it sets sequential mode when citus_needs_sequential says
 * so, and sends the per-revision lock_timeout (NULL: none) to the workers
 * once for all the revisions.  Citus forwards a SET LOCAL to the
 * connections the transaction has and replays it on those it opens later,
 * so every revision's DDL runs under it.  sm_citus_call_end sends the
 * caller's value back, so that the setting does not outlive the call.
 * Does nothing without Citus.  SPI must be connected.
 */
void
sm_citus_call_begin(SmCitusCall *call, List *stmts, const char *lock_timeout)
{
	call->active = sm_citus_present();
	call->restore = NULL;
	if (!call->active)
		return;
	call->nestlevel = NewGUCNestLevel();
	call_running = true;
	if (citus_needs_sequential(stmts))
		(void) set_config_option("citus.multi_shard_modify_mode", "sequential",
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
								 true, 0, false);
	if (lock_timeout == NULL)
		return;
	call->restore = pstrdup(GetConfigOption("lock_timeout", false, false));
	(void) set_config_option("citus.propagate_set_commands", "local",
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
							 true, 0, false);
	citus_set_local("lock_timeout", lock_timeout);
	strlcpy(call_lock_timeout, lock_timeout, sizeof(call_lock_timeout));
}

/*
 * sm_citus_call_end puts the caller's lock_timeout back on the workers and
 * ends the call's GUC nest level (which restores the settings here).
 */
void
sm_citus_call_end(SmCitusCall *call)
{
	if (!call->active)
		return;
	call_running = false;
	call_lock_timeout[0] = '\0';
	if (call->restore != NULL)
		citus_set_local("lock_timeout", call->restore);
	AtEOXact_GUC(true, call->nestlevel);
}

/*
 * sm_citus_call_abandon forgets a call that failed: the (sub)transaction
 * abort that follows undoes its settings here and on the workers.
 */
void
sm_citus_call_abandon(SmCitusCall *call)
{
	if (!call->active)
		return;
	call_running = false;
	call_lock_timeout[0] = '\0';
}

/*
 * sm_citus_revision_begin prepares one revision run inside the caller's GUC
 * nest level, before the caller sets the revision's own lock_timeout: SET
 * LOCAL is forwarded to the workers (citus.propagate_set_commands),
 * multi-shard work runs in sequential mode unless a running call chose the
 * mode (citus_needs_sequential), and the per-revision lock_timeout is sent
 * to the workers unless the running call sent it already.  The values of the
 * settings that the revision's own SET LOCAL statements change are
 * remembered, so that sm_citus_revision_end can put them back on the
 * workers too.
 */
void
sm_citus_revision_begin(SmCitusRun *run, List *stmts, const char *lock_timeout)
{
	ListCell   *lc;

	run->active = sm_citus_present();
	run->names = NIL;
	run->values = NIL;
	if (!run->active)
		return;

	(void) set_config_option("citus.propagate_set_commands", "local",
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
							 true, 0, false);
	if (!call_running)
		(void) set_config_option("citus.multi_shard_modify_mode", "sequential",
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
								 true, 0, false);

	/* already on the workers: the call sent it */
	if (lock_timeout != NULL && strcmp(lock_timeout, call_lock_timeout) == 0)
		lock_timeout = NULL;
	if (lock_timeout != NULL)
	{
		run->names = lappend(run->names, pstrdup("lock_timeout"));
		run->values = lappend(run->values,
							  pstrdup(GetConfigOption("lock_timeout", false, false)));
	}
	foreach(lc, stmts)
	{
		SmStatement *st = lfirst(lc);
		List	   *raw;
		VariableSetStmt *set;
		const char *value;

		if (st->tag != T_VariableSetStmt)
			continue;
		raw = raw_parser(st->sql, RAW_PARSE_DEFAULT);
		if (list_length(raw) != 1 ||
			!IsA(linitial_node(RawStmt, raw)->stmt, VariableSetStmt))
			continue;
		set = (VariableSetStmt *) linitial_node(RawStmt, raw)->stmt;
		if (!set->is_local || set->name == NULL ||
			(lock_timeout != NULL && strcmp(set->name, "lock_timeout") == 0))
			continue;
		value = GetConfigOption(set->name, true, false);
		if (value == NULL)
			continue;
		run->names = lappend(run->names, pstrdup(set->name));
		run->values = lappend(run->values, pstrdup(value));
	}
	if (lock_timeout != NULL)
		citus_set_local("lock_timeout", lock_timeout);
}

/*
 * sm_citus_revision_end sends the remembered values back to the workers,
 * before the caller's AtEOXact_GUC restores them on this node.
 */
void
sm_citus_revision_end(SmCitusRun *run)
{
	ListCell   *ln;
	ListCell   *lv;

	if (!run->active)
		return;
	forboth(ln, run->names, lv, run->values)
		citus_set_local((const char *) lfirst(ln), (const char *) lfirst(lv));
}

/* is relid a Citus table (distributed, reference or Citus-managed local)? */
static bool
citus_table(Oid relid)
{
	Oid			partition = citus_catalog("pg_dist_partition");
	Oid			indexid = citus_catalog("pg_dist_partition_logical_relid_index");
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	AttrNumber	att;
	bool		found;

	if (!OidIsValid(partition) ||
		(att = get_attnum(partition, "logicalrelid")) == InvalidAttrNumber)
		return false;
	ScanKeyInit(&key, att, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	rel = table_open(partition, AccessShareLock);
	scan = systable_beginscan(rel, indexid, OidIsValid(indexid), NULL, 1, &key);
	found = HeapTupleIsValid(systable_getnext(scan));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * citus_exact_size asks Citus for the size of a table's shards
 * (citus_table_size), inside a subtransaction: Citus refuses it in a
 * transaction that modified several shards, and then -1 is returned.
 */
static int64
citus_exact_size(Oid relid)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile int64 size = -1;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		Oid			argtypes[1] = {OIDOID};
		Datum		values[1];
		bool		isnull;

		values[0] = ObjectIdGetDatum(relid);
		SPI_connect();
		if (SPI_execute_with_args("SELECT pg_catalog.citus_table_size($1::pg_catalog.regclass)",
								  1, argtypes, values, NULL, true, 1) == SPI_OK_SELECT &&
			SPI_processed == 1)
		{
			Datum		d = SPI_getbinval(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1, &isnull);

			if (!isnull)
				size = DatumGetInt64(d);
		}
		SPI_finish();
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		size = -1;
	}
	PG_END_TRY();
	return size;
}

/* estimates of one table, kept for the rest of the transaction */
typedef struct CitusEstimate
{
	Oid			relid;
	int64		bytes;
	double		rows;
} CitusEstimate;

static List *estimates = NIL;
static LocalTransactionId estimates_xact = InvalidLocalTransactionId;

/*
 * The estimate query: one command sent to every node (run_command_on_all_nodes,
 * one connection per node rather than one per shard) reads the pg_class rows
 * of the table's shards that the node holds, as "shardid:bytes:reltuples"
 * words; a shard placed on several nodes is counted once.  $1 is the table.
 */
static const char *const estimate_query =
"WITH s AS ("
"  SELECT pg_catalog.array_agg(d.shardid ORDER BY d.shardid) AS ids,"
"         pg_catalog.array_agg(pg_catalog.shard_name(d.logicalrelid, d.shardid) ORDER BY d.shardid) AS names"
"    FROM pg_catalog.pg_dist_shard d WHERE d.logicalrelid OPERATOR(pg_catalog.=) $1),"
" w AS ("
"  SELECT DISTINCT ON (pg_catalog.split_part(e, ':', 1))"
"         pg_catalog.split_part(e, ':', 2)::pg_catalog.int8 AS bytes,"
"         pg_catalog.split_part(e, ':', 3)::pg_catalog.float8 AS tuples"
"    FROM s, pg_catalog.run_command_on_all_nodes(pg_catalog.format("
"      $c$SELECT pg_catalog.string_agg(s.id OPERATOR(pg_catalog.||) ':'"
"        OPERATOR(pg_catalog.||) (c.relpages::pg_catalog.int8 OPERATOR(pg_catalog.*) pg_catalog.current_setting('block_size')::pg_catalog.int8)"
"        OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) c.reltuples, ' ')"
"        FROM ROWS FROM (pg_catalog.unnest(%L::pg_catalog.int8[]), pg_catalog.unnest(%L::pg_catalog.text[])) AS s(id, name)"
"        JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(s.name)$c$,"
"      s.ids, s.names)) r,"
"      pg_catalog.unnest(pg_catalog.string_to_array(r.result, ' ')) AS e"
"   WHERE r.success AND s.ids IS NOT NULL"
"   ORDER BY pg_catalog.split_part(e, ':', 1))"
" SELECT pg_catalog.sum(w.bytes),"
"        CASE WHEN pg_catalog.bool_and(w.tuples OPERATOR(pg_catalog.>=) 0)"
"        THEN pg_catalog.sum(w.tuples) ELSE -1 END"
"   FROM w";

/*
 * citus_estimate sums relpages and reltuples over the table's shards, read
 * from each shard's pg_class row: no lock on any shard, so that a linter
 * never waits behind a session that holds one.  Once per table and
 * transaction.
 */
static CitusEstimate *
citus_estimate(Oid relid)
{
	MemoryContext old;
	CitusEstimate *e;
	ListCell   *lc;
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];

	if (estimates_xact != MyProc->lxid)
	{
		estimates = NIL;		/* the old list went with its transaction */
		estimates_xact = MyProc->lxid;
	}
	foreach(lc, estimates)
	{
		e = lfirst(lc);
		if (e->relid == relid)
			return e;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	e = palloc0(sizeof(CitusEstimate));
	e->relid = relid;
	e->bytes = -1;
	estimates = lappend(estimates, e);
	MemoryContextSwitchTo(old);

	values[0] = ObjectIdGetDatum(relid);
	SPI_connect();
	if (SPI_execute_with_args(estimate_query, 1, argtypes, values, NULL, true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		bool		n1,
					n2;
		Datum		b = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &n1);
		Datum		r = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &n2);

		if (!n1)
			e->bytes = DatumGetInt64(DirectFunctionCall1(numeric_int8, b));
		if (!n2)
			e->rows = DatumGetFloat8(r);
	}
	SPI_finish();
	return e;
}

/*
 * sm_citus_relation_size is the size in bytes of a Citus table, summed over
 * its shards, or -1 for any other relation (the caller measures it locally).
 * "exact" asks the workers for the real size (the rewrite guard); otherwise
 * the shards' statistics are used, without locking them (lint), and the
 * row estimate goes to *rows when not NULL (-1: a shard was never analyzed,
 * the count is unknown).
 */
int64
sm_citus_relation_size(Oid relid, bool exact, double *rows)
{
	CitusEstimate *e;
	int64		size;

	if (!sm_citus_present() || !citus_table(relid))
		return -1;
	if (exact && (size = citus_exact_size(relid)) >= 0)
		return size;
	e = citus_estimate(relid);
	if (rows != NULL)
		*rows = e->rows;
	return e->bytes;
}

/*
 * The signature of one relation's schema, one line per column, index and
 * constraint, sorted, with the names that differ between a distributed
 * table and its shards left out (index names, shard-id suffixes of
 * referenced shards).  A format() string: %1$L is the relation.
 */
static const char *const shard_signature =
"SELECT pg_catalog.string_agg(i, E'\\n' ORDER BY i COLLATE \"C\") FROM ("
" SELECT 'column ' OPERATOR(pg_catalog.||) a.attname OPERATOR(pg_catalog.||) ' '"
"   OPERATOR(pg_catalog.||) pg_catalog.format_type(a.atttypid, a.atttypmod)"
"   OPERATOR(pg_catalog.||) CASE WHEN a.attnotnull THEN ' not null' ELSE '' END AS i"
"   FROM pg_catalog.pg_attribute a"
"  WHERE a.attrelid OPERATOR(pg_catalog.=) %1$L::pg_catalog.regclass"
"    AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped"
" UNION ALL"
" SELECT CASE WHEN x.indisunique THEN 'unique index ' ELSE 'index ' END"
"   OPERATOR(pg_catalog.||) pg_catalog.regexp_replace("
"   pg_catalog.pg_get_indexdef(x.indexrelid), '^CREATE (UNIQUE )?INDEX \\S+ ON (ONLY )?\\S+ ', '')"
"   FROM pg_catalog.pg_index x"
"  WHERE x.indrelid OPERATOR(pg_catalog.=) %1$L::pg_catalog.regclass"
" UNION ALL"
" SELECT 'constraint ' OPERATOR(pg_catalog.||) pg_catalog.regexp_replace("
"   pg_catalog.pg_get_constraintdef(c.oid), '_[0-9]+\\(', '(', 'g')"
"   FROM pg_catalog.pg_constraint c"
"  WHERE c.conrelid OPERATOR(pg_catalog.=) %1$L::pg_catalog.regclass) s";

/* the lines of "a" that are not in "b", as "what, what" */
static char *
lines_missing(List *a, List *b)
{
	StringInfoData buf;
	ListCell   *la;

	initStringInfo(&buf);
	foreach(la, a)
	{
		const char *line = lfirst(la);
		ListCell   *lb;
		bool		found = false;

		foreach(lb, b)
		{
			if (strcmp(line, (const char *) lfirst(lb)) == 0)
			{
				found = true;
				break;
			}
		}
		if (!found)
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? "; " : "", line);
	}
	return buf.data;
}

/* a signature's lines */
static List *
signature_lines(const char *sig)
{
	List	   *lines = NIL;
	char	   *copy;
	char	   *line;
	char	   *save;

	if (sig == NULL)
		return NIL;
	copy = pstrdup(sig);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
		 line = strtok_r(NULL, "\n", &save))
		lines = lappend(lines, line);
	return lines;
}

/*
 * sm_citus_shard_differences compares every placement of every Citus table
 * with the table on the coordinator: DDL run directly on a worker (or
 * through run_command_on_shards) fires nothing here, so check() asks the
 * workers.  Returns one description per placement that differs or could
 * not be read.  SPI must be connected; the strings are in the caller's
 * memory context.
 */
List *
sm_citus_shard_differences(void)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *result = NIL;
	List	   *tables = NIL;
	ListCell   *lc;
	int			rc;
	uint64		i;

	if (!sm_citus_present() || !OidIsValid(citus_catalog("pg_dist_partition")))
		return NIL;
	rc = SPI_execute_with_args("SELECT q.name, pg_catalog.format($1, q.name) FROM ("
							   " SELECT pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.||) '.'"
							   "   OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c.relname) AS name"
							   " FROM pg_catalog.pg_dist_partition p"
							   " JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) p.logicalrelid"
							   " JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace) q"
							   " ORDER BY q.name COLLATE \"C\"",
							   1, (Oid[]) {TEXTOID},
							   (Datum[]) {CStringGetTextDatum(shard_signature)},
							   NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
	for (i = 0; i < SPI_processed; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);
		char	  **pair = palloc(2 * sizeof(char *));

		pair[0] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		pair[1] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		tables = lappend(tables, pair);
		MemoryContextSwitchTo(old);
	}

	foreach(lc, tables)
	{
		char	  **pair = lfirst(lc);
		char	   *expected = NULL;
		List	   *want;
		uint64		nplacements;

		CHECK_FOR_INTERRUPTS();
		rc = SPI_execute(pair[1], true, 0);
		if (rc == SPI_OK_SELECT && SPI_processed == 1)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			expected = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
			MemoryContextSwitchTo(old);
		}
		want = signature_lines(expected);
		rc = SPI_execute_with_args(
			"SELECT pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.||) '.'"
			"   OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c.relname OPERATOR(pg_catalog.||) '_'"
			"   OPERATOR(pg_catalog.||) r.shardid),"
			" r.nodename OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) r.nodeport,"
			" r.success, r.result"
			" FROM pg_catalog.run_command_on_placements($1::pg_catalog.regclass, $2) r,"
			"  pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
			" WHERE c.oid OPERATOR(pg_catalog.=) $1::pg_catalog.regclass"
			" ORDER BY r.shardid, r.nodename COLLATE \"C\", r.nodeport",
			2, (Oid[]) {TEXTOID, TEXTOID},
			(Datum[]) {CStringGetTextDatum(pair[0]), CStringGetTextDatum(shard_signature)},
			NULL, true, 0);
		if (rc != SPI_OK_SELECT)
			elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
		nplacements = SPI_processed;
		for (i = 0; i < nplacements; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			char	   *shard = SPI_getvalue(tup, desc, 1);
			char	   *node = SPI_getvalue(tup, desc, 2);
			char	   *success = SPI_getvalue(tup, desc, 3);
			char	   *got = SPI_getvalue(tup, desc, 4);
			MemoryContext old;
			char	   *msg = NULL;

			if (success == NULL || strcmp(success, "t") != 0)
				msg = psprintf("shard %s on %s could not be compared with its distributed table %s: %s",
							   shard, node, pair[0], got ? got : "no answer");
			else if (expected == NULL || got == NULL || strcmp(expected, got) != 0)
			{
				List	   *have = signature_lines(got);
				char	   *extra = lines_missing(have, want);
				char	   *missing = lines_missing(want, have);

				msg = psprintf("shard %s on %s differs from its distributed table %s:%s%s%s%s",
							   shard, node, pair[0],
							   extra[0] ? " only on the shard: " : "", extra,
							   missing[0] ? (extra[0] ? "; missing on the shard: " : " missing on the shard: ") : "",
							   missing);
			}
			if (msg != NULL)
			{
				old = MemoryContextSwitchTo(cxt);
				result = lappend(result, pstrdup(msg));
				MemoryContextSwitchTo(old);
			}
		}
	}
	return result;
}
