/*-------------------------------------------------------------------------
 *
 * sqlsplit.c
 *	  Split a revision's SQL into single statements with PostgreSQL's own
 *	  parser, and tell which statements cannot run in a transaction block.
 *
 * Each statement is later run through its own SPI call: Citus forwards a
 * multi-statement string to its workers, which reject it, and one statement
 * per call gives exact error positions.  raw_parser's stmt_location and
 * stmt_len give the boundaries, which copes with dollar quotes and comments.
 *
 * src/parse/sqlsplit.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/defrem.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "parser/scansup.h"

#include "pg_schemamig.h"

/*
 * stmt_is_nontransactional: statements PostgreSQL refuses inside a
 * transaction block or a function (PreventInTransactionBlock callers).
 */
static bool
stmt_is_nontransactional(Node *stmt)
{
	switch (nodeTag(stmt))
	{
		case T_IndexStmt:
			return ((IndexStmt *) stmt)->concurrent;
		case T_DropStmt:
			return ((DropStmt *) stmt)->concurrent;
		case T_ReindexStmt:
			{
				ListCell   *lc;

				foreach(lc, ((ReindexStmt *) stmt)->params)
				{
					DefElem    *opt = (DefElem *) lfirst(lc);

					if (strcmp(opt->defname, "concurrently") == 0 &&
						defGetBoolean(opt))
						return true;
				}
				return ((ReindexStmt *) stmt)->kind == REINDEX_OBJECT_SYSTEM ||
					((ReindexStmt *) stmt)->kind == REINDEX_OBJECT_DATABASE;
			}
		case T_AlterTableStmt:
			{
				ListCell   *lc;

				foreach(lc, ((AlterTableStmt *) stmt)->cmds)
				{
					AlterTableCmd *cmd = (AlterTableCmd *) lfirst(lc);

					if (cmd->subtype == AT_DetachPartition &&
						((PartitionCmd *) cmd->def)->concurrent)
						return true;
				}
				return false;
			}
		case T_CallStmt:
			{
				/* schemamig.backfill commits after each batch */
				List	   *name = ((CallStmt *) stmt)->funccall->funcname;

				return list_length(name) == 2 &&
					strcmp(strVal(linitial(name)), SM_SCHEMA) == 0 &&
					strcmp(strVal(lsecond(name)), "backfill") == 0;
			}
		case T_VacuumStmt:
		case T_CreatedbStmt:
		case T_DropdbStmt:
		case T_CreateTableSpaceStmt:
		case T_DropTableSpaceStmt:
		case T_AlterSystemStmt:
		case T_CreateSubscriptionStmt:
			return true;
		default:
			return false;
	}
}

/*
 * sm_parse_error_callback moves a scanner or parser error position into the
 * revision's SQL text ("internal query"), so that the cursor points into the
 * revision and not into the calling statement.  arg is the SQL text.
 */
void
sm_parse_error_callback(void *arg)
{
	int			pos = geterrposition();

	if (pos > 0)
	{
		errposition(0);
		internalerrposition(pos);
		internalerrquery((const char *) arg);
	}
}

/*
 * sm_split_sql parses "sql" and returns a List of SmStatement, one per
 * statement, in order.  Syntax errors are raised by the parser itself, with
 * the error position inside "sql".
 */
List *
sm_split_sql(const char *sql)
{
	List	   *raw;
	List	   *result = NIL;
	ListCell   *lc;
	int			sqllen = strlen(sql);
	ErrorContextCallback errcb;

	errcb.callback = sm_parse_error_callback;
	errcb.arg = unconstify(char *, sql);
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	error_context_stack = errcb.previous;
	foreach(lc, raw)
	{
		RawStmt    *rs = lfirst_node(RawStmt, lc);
		SmStatement *st = palloc0(sizeof(SmStatement));
		int			loc = rs->stmt_location;
		int			len = rs->stmt_len > 0 ? rs->stmt_len : sqllen - loc;

		/* the statement starts after the previous one's semicolon: skip blanks */
		while (len > 0 && scanner_isspace(sql[loc]))
		{
			loc++;
			len--;
		}
		st->location = loc;
		st->length = len;
		st->sql = pnstrdup(sql + loc, len);
		st->tag = nodeTag(rs->stmt);
		st->nontransactional = stmt_is_nontransactional(rs->stmt);
		result = lappend(result, st);
	}
	return result;
}

/* True when any statement of "sql" cannot run inside a transaction block. */
bool
sm_sql_is_nontransactional(const char *sql)
{
	ListCell   *lc;

	foreach(lc, sm_split_sql(sql))
	{
		if (((SmStatement *) lfirst(lc))->nontransactional)
			return true;
	}
	return false;
}
