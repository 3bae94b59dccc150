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
 * The offline scripts call none of pg_schemamig's functions: they register
 * the revisions they apply, check the version table they start from, run
 * the SQL and write the version table and the log with plain SQL, so that
 * psql can run them where the extension is installed but these revisions
 * are not.  They set schemamig.offline_script so the drift triggers know
 * the DDL is a migration.
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

/* ARRAY['a', 'b']::pg_catalog.text[] */
static void
append_text_array(StringInfo buf, List *items)
{
	ListCell   *lc;

	if (items == NIL)
	{
		appendStringInfoString(buf, "'{}'::pg_catalog.text[]");
		return;
	}
	appendStringInfoString(buf, "ARRAY[");
	foreach(lc, items)
	{
		if (foreach_current_index(lc) > 0)
			appendStringInfoString(buf, ", ");
		appendStringInfoString(buf, quote_literal_cstr((char *) lfirst(lc)));
	}
	appendStringInfoString(buf, "]::pg_catalog.text[]");
}

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

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("target must not be null")));
	target = text_to_cstring(PG_GETARG_TEXT_PP(0));

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
		List	   *stmts = sm_split_sql(sql);
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

/* the INSERT that registers "rev" where it is missing */
static void
append_registration(StringInfo buf, const SmRevision *rev)
{
	appendStringInfoString(buf,
						   "INSERT INTO schemamig.revision (id, message, down_revisions, branch_labels, "
						   "depends_on, upgrade_sql, downgrade_sql, transactional, checksum, checksum_algorithm)\nVALUES (");
	appendStringInfo(buf, "%s, %s, ", quote_literal_cstr(rev->id), quote_literal_cstr(rev->message));
	append_text_array(buf, rev->down);
	appendStringInfoString(buf, ", ");
	append_text_array(buf, rev->labels);
	appendStringInfoString(buf, ", ");
	append_text_array(buf, rev->depends);
	appendStringInfo(buf, ",\n  %s,\n  %s,\n  %s, %s, %s)\nON CONFLICT (id) DO NOTHING;\n",
					 quote_literal_cstr(rev->upgrade_sql),
					 rev->downgrade_sql ? quote_literal_cstr(rev->downgrade_sql) : "NULL",
					 rev->transactional ? "true" : "false",
					 quote_literal_cstr(rev->checksum),
					 quote_literal_cstr(SM_CHECKSUM_ALGORITHM));
}

/* refuse to run where a revision of the same id has other SQL */
static void
append_checksum_guard(StringInfo buf, const SmRevision *rev)
{
	appendStringInfo(buf,
					 "DO $schemamig$ BEGIN\n"
					 "  IF EXISTS (SELECT FROM schemamig.revision WHERE id OPERATOR(pg_catalog.=) %s\n"
					 "             AND checksum OPERATOR(pg_catalog.<>) %s) THEN\n"
					 "    RAISE EXCEPTION 'revision %s is registered with different SQL' USING ERRCODE = 'unique_violation';\n"
					 "  END IF;\nEND $schemamig$;\n",
					 quote_literal_cstr(rev->id), quote_literal_cstr(rev->checksum),
					 rev->id);
}

/* the version-table state check at the top of a script */
static void
append_state_guard(StringInfo buf, List *heads)
{
	appendStringInfoString(buf,
						   "DO $schemamig$ BEGIN\n"
						   "  IF ARRAY(SELECT revision FROM schemamig.version ORDER BY position)\n"
						   "     OPERATOR(pg_catalog.<>) ");
	append_text_array(buf, heads);
	appendStringInfo(buf,
					 " THEN\n"
					 "    RAISE EXCEPTION 'the version table is not in the state this script starts from (%s)'\n"
					 "      USING ERRCODE = 'object_not_in_prerequisite_state';\n"
					 "  END IF;\nEND $schemamig$;\n",
					 heads ? sm_join_ids(heads) : "base");
}

/* rewrite the version table to "heads" and log the step */
static void
append_bookkeeping(StringInfo buf, const SmStep *step, List *before, List *after)
{
	ListCell   *lc;

	appendStringInfoString(buf, "DELETE FROM schemamig.version;\n");
	foreach(lc, after)
		appendStringInfo(buf, "INSERT INTO schemamig.version (revision, position) VALUES (%s, %d);\n",
						 quote_literal_cstr((char *) lfirst(lc)), foreach_current_index(lc) + 1);
	appendStringInfo(buf,
					 "INSERT INTO schemamig.log (revision, direction, heads_before, heads_after, "
					 "started_at, duration, role, checksum, backend_pid)\nVALUES (%s, '%s', ",
					 quote_literal_cstr(step->rev->id), direction_name(step->upgrade));
	append_text_array(buf, before);
	appendStringInfoString(buf, ", ");
	append_text_array(buf, after);
	appendStringInfo(buf,
					 ",\n  pg_catalog.current_setting('schemamig_offline.started')::pg_catalog.timestamptz,\n"
					 "  pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) pg_catalog.current_setting('schemamig_offline.started')::pg_catalog.timestamptz,\n"
					 "  CURRENT_USER, %s, pg_catalog.pg_backend_pid());\n",
					 quote_literal_cstr(step->rev->checksum));
}

/*
 * comment_text returns "s" fit for the rest of a "--" comment line: a line
 * break in it (a revision message can hold one) would end the comment and
 * turn the rest of the message into SQL of the script.
 */
static char *
comment_text(const char *s)
{
	char	   *r = pstrdup(s);
	char	   *p;

	for (p = r; *p; p++)
	{
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	return r;
}

/*
 * append_statement adds one revision statement and its semicolon.  The
 * last statement of a revision can end in a "--" comment with no line
 * break after it, which would swallow a semicolon on the same line.
 */
static void
append_statement(StringInfo buf, const char *sql)
{
	size_t		len = strlen(sql);

	if (strstr(sql, "--") != NULL && len > 0 && sql[len - 1] != '\n')
		appendStringInfo(buf, "%s\n;\n", sql);
	else
		appendStringInfo(buf, "%s;\n", sql);
}

/*
 * append_pinned_settings pins every setting that changes how psql or the
 * server reads the script, to the values upgrade() runs revisions with:
 * with standard_conforming_strings off, psql would read a backslash in a
 * revision's string literal as an escape, end the literal early and run
 * what follows as a psql command (\\! runs a shell).  psql follows the
 * server's standard_conforming_strings and client_encoding as soon as the
 * SET has run.
 */
static void
append_pinned_settings(StringInfo buf)
{
	appendStringInfo(buf,
					 "SET client_encoding = %s;\n"
					 "SET standard_conforming_strings = on;\n"
					 "SET check_function_bodies = on;\n"
					 "SET xmloption = content;\n"
					 "SET escape_string_warning = off;\n",
					 quote_literal_cstr(GetDatabaseEncodingName()));
}

/*
 * offline_script builds the whole script.  Transactional revisions share
 * one transaction; a non-transactional one ends it, runs top-level, and
 * records its bookkeeping in a transaction of its own.
 */
static char *
offline_script(SmGraph *g, List *heads, List *steps, const char *target,
			   bool upgrade)
{
	StringInfoData buf;
	ListCell   *lc;
	bool		in_tx = false;
	const char *lockstmt;

	/* the catalog lock of guard.c (no SQL function but this can take it) */
	lockstmt = "SELECT schemamig._lock();\n";

	initStringInfo(&buf);
	appendStringInfo(&buf,
					 "-- pg_schemamig %s offline script: %s from %s, %d revision(s)\n"
					 "-- Run with psql -f; it stops at the first error.\n"
					 "\\set ON_ERROR_STOP on\n",
					 direction_name(upgrade), comment_text(target),
					 heads ? sm_join_ids(heads) : "base", list_length(steps));
	append_pinned_settings(&buf);
	appendStringInfoString(&buf, "BEGIN;\nSET LOCAL schemamig.offline_script = on;\n");
	appendStringInfoString(&buf, lockstmt);
	append_state_guard(&buf, heads);
	foreach(lc, steps)
	{
		SmStep	   *step = lfirst(lc);

		append_checksum_guard(&buf, step->rev);
		append_registration(&buf, step->rev);
	}
	in_tx = true;

	foreach(lc, steps)
	{
		SmStep	   *step = lfirst(lc);
		const char *sql = step->upgrade ? step->rev->upgrade_sql : step->rev->downgrade_sql;
		List	   *after = graph_heads_after_step(g, heads, step);
		ListCell   *lc2;
		char	   *parents = sm_join_ids(step->rev->down);

		appendStringInfo(&buf, "\n-- Running %s %s -> %s%s%s\n",
						 direction_name(step->upgrade),
						 step->upgrade ? parents : step->rev->id,
						 step->upgrade ? step->rev->id : parents,
						 step->rev->message[0] ? ", " : "", comment_text(step->rev->message));
		if (!step->rev->transactional && in_tx)
		{
			appendStringInfoString(&buf, "COMMIT;\nSET schemamig.offline_script = on;\n");
			in_tx = false;
		}
		else if (step->rev->transactional && !in_tx)
		{
			appendStringInfoString(&buf, "RESET schemamig.offline_script;\nBEGIN;\nSET LOCAL schemamig.offline_script = on;\n");
			appendStringInfoString(&buf, lockstmt);
			in_tx = true;
		}
		appendStringInfoString(&buf,
							   "DO $schemamig$ BEGIN PERFORM pg_catalog.set_config('schemamig_offline.started', "
							   "pg_catalog.clock_timestamp()::pg_catalog.text, false); END $schemamig$;\n");
		foreach(lc2, sm_split_sql(sql))
		{
			sm_check_statement(lfirst(lc2), foreach_current_index(lc2) + 1,
							   step->rev->id, direction_name(step->upgrade));
			append_statement(&buf, ((SmStatement *) lfirst(lc2))->sql);
		}
		if (!in_tx)
		{
			appendStringInfoString(&buf, "BEGIN;\n");
			appendStringInfoString(&buf, lockstmt);
		}
		append_bookkeeping(&buf, step, heads, after);
		if (!in_tx)
			appendStringInfoString(&buf, "COMMIT;\n");
		heads = after;
	}
	/* the schema reached is the expected one: check compares against it */
	if (steps != NIL && !in_tx)
		appendStringInfoString(&buf, "BEGIN;\n");
	if (steps != NIL)
		appendStringInfoString(&buf,
							   "DO $schemamig$ BEGIN PERFORM schemamig.snapshot(); END $schemamig$;\n");
	if (in_tx || steps != NIL)
		appendStringInfoString(&buf, "\nCOMMIT;\n");
	if (!in_tx)
		appendStringInfoString(&buf, "RESET schemamig.offline_script;\n");
	return buf.data;
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

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("target must not be null")));
	target = text_to_cstring(PG_GETARG_TEXT_PP(0));
	from_rev = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));

	sm_spi_connect();
	g = graph_load(true);
	heads = start_heads(g, from_rev);
	steps = upgrade ? graph_upgrade_steps(g, heads, target)
		: graph_downgrade_steps(g, heads, target);
	sm_check_steps(steps, false);
	script = offline_script(g, heads, steps, target, upgrade);
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
