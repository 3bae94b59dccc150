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
 * plan() reads its statements through a per-backend cache keyed by the SQL
 * text (sm_split_sql_cached), so that planning 10,000 revisions does not
 * parse them all again each time.
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
#include "utils/memutils.h"

#include "pg_schemamig.h"
#include "strmap.h"

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

/*
 * The statement cache of sm_split_sql_cached: SQL text -> its statements,
 * for this backend, in a context of its own.  A revision's SQL is the same
 * text every time plan() and upgrade() see it, and splitting is a pure
 * function of the text, so nothing ever invalidates an entry; the cache is
 * emptied when it grows past SPLIT_CACHE_MAX_BYTES.
 */
#define SPLIT_CACHE_MAX_BYTES	(32 * 1024 * 1024)

static MemoryContext split_cache_cxt = NULL;
static StrMap split_cache_map;
static List **split_cache_lists = NULL;
static int	split_cache_n = 0;
static int	split_cache_cap = 0;

static void
split_cache_reset(void)
{
	MemoryContext old;

	if (split_cache_cxt == NULL)
		split_cache_cxt = AllocSetContextCreate(TopMemoryContext,
												"schemamig statement cache",
												ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(split_cache_cxt);
	old = MemoryContextSwitchTo(split_cache_cxt);
	strmap_init(&split_cache_map, 1024);
	split_cache_cap = 1024;
	split_cache_lists = palloc(sizeof(List *) * split_cache_cap);
	split_cache_n = 0;
	MemoryContextSwitchTo(old);
}

/*
 * sm_split_sql_cached is sm_split_sql with a per-backend cache.  The list
 * and its statements belong to the cache: read them, never change or free
 * them, and do not keep them past the current call.
 */
List *
sm_split_sql_cached(const char *sql)
{
	int			i;
	List	   *fresh;
	List	   *copy = NIL;
	ListCell   *lc;
	MemoryContext old;

	if (split_cache_cxt == NULL ||
		MemoryContextMemAllocated(split_cache_cxt, true) > SPLIT_CACHE_MAX_BYTES)
		split_cache_reset();
	i = strmap_get(&split_cache_map, sql);
	if (i >= 0)
		return split_cache_lists[i];

	fresh = sm_split_sql(sql);	/* may raise a syntax error: cache nothing */
	old = MemoryContextSwitchTo(split_cache_cxt);
	foreach(lc, fresh)
	{
		SmStatement *st = palloc(sizeof(SmStatement));

		*st = *(SmStatement *) lfirst(lc);
		st->sql = pstrdup(st->sql);
		copy = lappend(copy, st);
	}
	if (split_cache_n >= split_cache_cap)
	{
		split_cache_cap *= 2;
		split_cache_lists = repalloc(split_cache_lists, sizeof(List *) * split_cache_cap);
	}
	split_cache_lists[split_cache_n] = copy;
	strmap_put(&split_cache_map, pstrdup(sql), split_cache_n);
	split_cache_n++;
	MemoryContextSwitchTo(old);
	return copy;
}
