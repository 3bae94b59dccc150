/*-------------------------------------------------------------------------
 *
 * offline.c
 *	  plan(): the steps of a migration as executable statements, and the
 *	  offline scripts of upgrade_sql()/downgrade_sql().
 *
 * plan() rows call schemamig._begin_step/_end_step (planstep.c) around each
 * revision, so that psql's \gexec or the client can run non-transactional
 * revisions top-level with the same bookkeeping as upgrade().
 *
 * The offline scripts themselves are built by src/common/script.c, which
 * the client's --sql shares, so both print the same text.
 *
 * src/apply/offline.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "apply.h"
#include "catalog.h"
#include "graph.h"
#include "script.h"

static const char *
direction_name(bool upgrade)
{
	return upgrade ? "upgrade" : "downgrade";
}

/*
 * start_heads: the version-table state a script or plan starts from: the
 * current one when from_rev is NULL, none for "base", else the listed
 * revision ids (comma-separated).
 */
static List *
start_heads(SmGraph *g, const char *from_rev)
{
	List	   *ids = NIL;
	char	   *copy;
	char	   *tok;
	char	   *save;
	ListCell   *lc;

	if (from_rev == NULL)
		return sm_version_heads();
	if (strcmp(from_rev, "base") == 0)
		return NIL;
	copy = pstrdup(from_rev);
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
	{
		if (graph_find(g, tok) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("revision \"%s\" does not exist", tok),
					 errhint("from_rev is \"base\" or a comma-separated list of full revision ids.")));
		/* a script from a state no version table can hold would never run */
		foreach(lc, ids)
		{
			if (strcmp((char *) lfirst(lc), tok) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("revision \"%s\" is listed twice in from_rev", tok)));
		}
		ids = lappend(ids, pstrdup(tok));
	}
	return ids;
}

/* one plan() row; values[0..2] (step, revision, direction) are already set */
static void
plan_row(ReturnSetInfo *rsinfo, Datum *values, bool *nulls,
		 const char *statement, bool transactional)
{
	values[3] = CStringGetTextDatum(statement);
	values[4] = BoolGetDatum(transactional);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

PG_FUNCTION_INFO_V1(schemamig_plan);

/*
 * schemamig.plan(target) -> TABLE(step, revision, direction, statement,
 * transactional).  The direction follows from the target: a state behind
 * the current heads is reached by downgrading.
 */
Datum
schemamig_plan(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *target;
	SmGraph    *g;
	List	   *heads;
	List	   *steps;
	bool		upgrade;
	ListCell   *lc;

	target = sm_target_arg(fcinfo);

	InitMaterializedSRF(fcinfo, 0);
	sm_spi_connect();
	g = graph_load(true);
	heads = sm_version_heads();
	upgrade = !graph_is_downgrade_target(g, heads, target);
	steps = upgrade ? graph_upgrade_steps(g, heads, target)
		: graph_downgrade_steps(g, heads, target);
	sm_check_steps(steps, false);

	foreach(lc, steps)
	{
		SmStep	   *step = lfirst(lc);
		const char *sql = step->upgrade ? step->rev->upgrade_sql : step->rev->downgrade_sql;
		List	   *stmts = sm_split_sql_cached(sql);
		bool		tx = step->rev->transactional;
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		ListCell   *lc2;
		char	   *qid = quote_literal_cstr(step->rev->id);
		const char *dir = direction_name(step->upgrade);

		values[0] = Int32GetDatum(foreach_current_index(lc) + 1);
		values[1] = CStringGetTextDatum(step->rev->id);
		values[2] = CStringGetTextDatum(dir);
		if (tx)
			plan_row(rsinfo, values, nulls, "BEGIN", true);
		plan_row(rsinfo, values, nulls, psprintf("SELECT schemamig._begin_step(%s, '%s', %d)",
						  qid, dir, list_length(stmts)), true);
		foreach(lc2, stmts)
			sm_check_statement(lfirst(lc2), foreach_current_index(lc2) + 1,
							   step->rev->id, dir);
		foreach(lc2, stmts)
		{
			SmStatement *st = lfirst(lc2);

			plan_row(rsinfo, values, nulls, st->sql, !st->nontransactional);
		}
		plan_row(rsinfo, values, nulls, psprintf("SELECT schemamig._end_step(%s, '%s')", qid, dir), true);
		if (tx)
			plan_row(rsinfo, values, nulls, "COMMIT", true);
	}
	sm_spi_finish();
	return (Datum) 0;
}

/* upgrade_sql(target, from_rev) and downgrade_sql(target, from_rev) */
static Datum
offline_sql(FunctionCallInfo fcinfo, bool upgrade)
{
	char	   *target;
	char	   *from_rev;
	SmGraph    *g;
	List	   *heads;
	List	   *steps;
	char	   *script;
	text	   *result;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext old;

	target = sm_target_arg(fcinfo);
	from_rev = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));

	sm_spi_connect();
	g = graph_load(true);
	heads = start_heads(g, from_rev);
	steps = upgrade ? graph_upgrade_steps(g, heads, target)
		: graph_downgrade_steps(g, heads, target);
	sm_check_steps(steps, false);
	/* statements that can never be part of a revision (transaction control…) */
	for (int i = 0; i < list_length(steps); i++)
	{
		SmStep	   *step = list_nth(steps, i);
		const char *sql = step->upgrade ? step->rev->upgrade_sql : step->rev->downgrade_sql;
		ListCell   *lc2;

		foreach(lc2, sm_split_sql(sql))
			sm_check_statement(lfirst(lc2), foreach_current_index(lc2) + 1,
							   step->rev->id, step->upgrade ? "upgrade" : "downgrade");
	}
	script = sm_script_build(g, heads, steps, target, upgrade);
	old = MemoryContextSwitchTo(caller);
	result = cstring_to_text(script);	/* outlives SPI_finish */
	MemoryContextSwitchTo(old);
	sm_spi_finish();
	PG_RETURN_TEXT_P(result);
}

PG_FUNCTION_INFO_V1(schemamig_upgrade_sql);
PG_FUNCTION_INFO_V1(schemamig_downgrade_sql);

Datum
schemamig_upgrade_sql(PG_FUNCTION_ARGS)
{
	return offline_sql(fcinfo, true);
}

Datum
schemamig_downgrade_sql(PG_FUNCTION_ARGS)
{
	return offline_sql(fcinfo, false);
}
