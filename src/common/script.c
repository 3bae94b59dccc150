/*-------------------------------------------------------------------------
 *
 * script.c
 *	  The offline migration scripts of upgrade_sql()/downgrade_sql() and of
 *	  the client's --sql, built by the same code on both sides (script.h),
 *	  and the checks every plan of steps goes through.
 *
 * A script registers the revisions it applies, checks the version table it
 * starts from, runs the SQL and writes the version table and the log with
 * plain SQL, so that psql can run it where the extension is installed but
 * these revisions are not; at the end it records a schema snapshot
 * (schemamig.snapshot()).  It sets schemamig.offline_script so the drift triggers know the DDL
 * is a migration.  Literals are quoted as the server's quote_literal()
 * quotes them; statements are delimited by statements.c; checksums come
 * with the revisions.
 *
 * src/common/script.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#ifndef FRONTEND
#include "mb/pg_wchar.h"
#endif

#include "names.h"
#include "script.h"
#include "sqltoken.h"

/*
 * sm_quote_literal quotes "s" as a SQL string literal exactly as the
 * server's quote_literal_cstr() does: quotes and backslashes doubled, and
 * an E prefix when there is a backslash.
 */
char *
sm_quote_literal(const char *s)
{
	StringInfoData buf;
	const char *p;

	initStringInfo(&buf);
	if (strchr(s, '\\') != NULL)
		appendStringInfoChar(&buf, 'E');
	appendStringInfoChar(&buf, '\'');
	for (p = s; *p; p++)
	{
		if (*p == '\'' || *p == '\\')
			appendStringInfoChar(&buf, *p);
		appendStringInfoChar(&buf, *p);
	}
	appendStringInfoChar(&buf, '\'');
	return buf.data;
}

/* "a, b" from a List of C strings */
char *
sm_join_ids(List *ids)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, ids)
	{
		if (foreach_current_index(lc) > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, (char *) lfirst(lc));
	}
	return buf.data;
}

/*
 * sm_check_steps refuses, before anything runs, a plan that cannot be run
 * here: a downgrade through an irreversible revision, and (when "online")
 * a revision that must run outside a transaction block.
 */
void
sm_check_steps(List *steps, bool online)
{
	ListCell   *lc;

	foreach(lc, steps)
	{
		SmStep	   *step = lfirst(lc);

		if (!step->upgrade && !step->rev->has_downgrade)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("revision \"%s\" cannot be downgraded", step->rev->id),
					 errdetail("Revision \"%s\" (\"%s\") has no downgrade SQL; nothing was run.",
							   step->rev->id, step->rev->message),
					 errhint("Register a downgrade for it, or downgrade only to a revision after it.")));
		if (online && !step->rev->transactional)
			ereport(ERROR,
					(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
					 errmsg("revision \"%s\" cannot run inside a transaction", step->rev->id),
					 errdetail("Revision \"%s\" (\"%s\") is registered with transactional = false; nothing was run.",
							   step->rev->id, step->rev->message),
					 errhint("Run it top-level: with the pg_schemamig client, or in psql with SELECT statement FROM schemamig.plan('<target>') \\gexec.")));
	}
}

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
		appendStringInfoString(buf, sm_quote_literal((char *) lfirst(lc)));
	}
	appendStringInfoString(buf, "]::pg_catalog.text[]");
}

static const char *
direction_name(bool upgrade)
{
	return upgrade ? "upgrade" : "downgrade";
}

/* the INSERT that registers "rev" where it is missing */
static void
append_registration(StringInfo buf, const SmRevision *rev)
{
	appendStringInfoString(buf,
						   "INSERT INTO schemamig.revision (id, message, down_revisions, branch_labels, "
						   "depends_on, upgrade_sql, downgrade_sql, transactional, checksum, checksum_algorithm)\nVALUES (");
	appendStringInfo(buf, "%s, %s, ", sm_quote_literal(rev->id), sm_quote_literal(rev->message));
	append_text_array(buf, rev->down);
	appendStringInfoString(buf, ", ");
	append_text_array(buf, rev->labels);
	appendStringInfoString(buf, ", ");
	append_text_array(buf, rev->depends);
	appendStringInfo(buf, ",\n  %s,\n  %s,\n  %s, %s, %s)\nON CONFLICT (id) DO NOTHING;\n",
					 sm_quote_literal(rev->upgrade_sql),
					 rev->downgrade_sql ? sm_quote_literal(rev->downgrade_sql) : "NULL",
					 rev->transactional ? "true" : "false",
					 sm_quote_literal(rev->checksum),
					 sm_quote_literal(SM_CHECKSUM_ALGORITHM));
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
					 sm_quote_literal(rev->id), sm_quote_literal(rev->checksum),
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
						 sm_quote_literal((char *) lfirst(lc)), foreach_current_index(lc) + 1);
	appendStringInfo(buf,
					 "INSERT INTO schemamig.log (revision, direction, heads_before, heads_after, "
					 "started_at, duration, role, checksum, backend_pid)\nVALUES (%s, '%s', ",
					 sm_quote_literal(step->rev->id), direction_name(step->upgrade));
	append_text_array(buf, before);
	appendStringInfoString(buf, ", ");
	append_text_array(buf, after);
	appendStringInfo(buf,
					 ",\n  pg_catalog.current_setting('schemamig_offline.started')::pg_catalog.timestamptz,\n"
					 "  pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) pg_catalog.current_setting('schemamig_offline.started')::pg_catalog.timestamptz,\n"
					 "  CURRENT_USER, %s, pg_catalog.pg_backend_pid());\n",
					 sm_quote_literal(step->rev->checksum));
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
 * SET has run.  The client, with no server to ask, assumes UTF8.
 */
static void
append_pinned_settings(StringInfo buf)
{
#ifdef FRONTEND
	const char *encoding = "UTF8";
#else
	const char *encoding = GetDatabaseEncodingName();
#endif

	appendStringInfo(buf,
					 "SET client_encoding = %s;\n"
					 "SET standard_conforming_strings = on;\n"
					 "SET check_function_bodies = on;\n"
					 "SET xmloption = content;\n"
					 "SET escape_string_warning = off;\n",
					 sm_quote_literal(encoding));
}

/*
 * sm_script_build builds the whole script from version-table state
 * "heads" through "steps" (which reach "target").  Transactional revisions share
 * one transaction; a non-transactional one ends it, runs top-level, and
 * records its bookkeeping in a transaction of its own.
 */
char *
sm_script_build(SmGraph *g, List *heads, List *steps, const char *target,
				  bool upgrade)
{
	StringInfoData buf;
	ListCell   *lc;
	bool		in_tx = false;
	const char *lockstmt;

	/* the catalog lock (guard.c): no SQL function but this one takes it */
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
		foreach(lc2, sm_split_statements(sql))
			append_statement(&buf, ((SmStatementText *) lfirst(lc2))->sql);
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

