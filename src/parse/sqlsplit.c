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
					((ReindexStmt *) stmt)->kind == REINDEX_OBJECT_DATABASE ||
					((ReindexStmt *) stmt)->kind == REINDEX_OBJECT_SCHEMA;
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
			/* ANALYZE alone runs in a transaction block; VACUUM does not */
			return ((VacuumStmt *) stmt)->is_vacuumcmd;
		case T_DiscardStmt:
			return ((DiscardStmt *) stmt)->target == DISCARD_ALL;
		case T_ClusterStmt:
			/* CLUSTER without a table reclusters the database */
			return ((ClusterStmt *) stmt)->relation == NULL;
		case T_AlterDatabaseStmt:
			{
				ListCell   *lc;

				foreach(lc, ((AlterDatabaseStmt *) stmt)->options)
				{
					if (strcmp(((DefElem *) lfirst(lc))->defname, "tablespace") == 0)
						return true;
				}
				return false;
			}
		case T_AlterSubscriptionStmt:
			/* those that refresh the publication (by default they do) */
			switch (((AlterSubscriptionStmt *) stmt)->kind)
			{
				case ALTER_SUBSCRIPTION_REFRESH:
				case ALTER_SUBSCRIPTION_SET_PUBLICATION:
				case ALTER_SUBSCRIPTION_ADD_PUBLICATION:
				case ALTER_SUBSCRIPTION_DROP_PUBLICATION:
					return true;
				default:
					return false;
			}
		case T_DropSubscriptionStmt:
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

/* does a list of object names (DROP EXTENSION's) name pg_schemamig? */
static bool
names_pg_schemamig(List *objects)
{
	ListCell   *lc;

	foreach(lc, objects)
	{
		Node	   *obj = lfirst(lc);

		if (IsA(obj, String) && strcmp(strVal(obj), "pg_schemamig") == 0)
			return true;
	}
	return false;
}

/*
 * stmt_refusal: why a statement can never run as part of a revision, or
 * NULL.  Such statements are refused when the revision is registered (and
 * again before an offline script or a plan is made of older rows), each with
 * its own SQLSTATE: run through SPI they would otherwise fail on every
 * upgrade with an internal error, or (in an offline script or a plan run by
 * psql) commit half a migration.
 */
static const SmRefusal *
stmt_refusal(Node *stmt)
{
	static const SmRefusal txn = {
		ERRCODE_INVALID_TRANSACTION_TERMINATION,
		"transaction control statements are not allowed in a revision",
		"pg_schemamig runs each revision in a transaction of its own making; register statements that cannot run in one with transactional => false."
	};
	static const SmRefusal copy = {
		ERRCODE_FEATURE_NOT_SUPPORTED,
		"COPY FROM STDIN and COPY TO STDOUT are not allowed in a revision",
		"A revision has no client connection to copy from or to; use INSERT ... SELECT, or COPY with a file name on the server."
	};
	static const SmRefusal ext = {
		ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
		"a revision cannot create, alter or drop the pg_schemamig extension",
		"The extension holds the version table the revision is recorded in; change it outside any revision."
	};

	switch (nodeTag(stmt))
	{
		case T_TransactionStmt:
			return &txn;
		case T_CopyStmt:
			return ((CopyStmt *) stmt)->filename == NULL &&
				!((CopyStmt *) stmt)->is_program ? &copy : NULL;
		case T_DropStmt:
			return ((DropStmt *) stmt)->removeType == OBJECT_EXTENSION &&
				names_pg_schemamig(((DropStmt *) stmt)->objects) ? &ext : NULL;
		case T_AlterExtensionStmt:
			return strcmp(((AlterExtensionStmt *) stmt)->extname, "pg_schemamig") == 0 ? &ext : NULL;
		case T_AlterExtensionContentsStmt:
			return strcmp(((AlterExtensionContentsStmt *) stmt)->extname, "pg_schemamig") == 0 ? &ext : NULL;
		case T_CreateExtensionStmt:
			return strcmp(((CreateExtensionStmt *) stmt)->extname, "pg_schemamig") == 0 ? &ext : NULL;
		default:
			return NULL;
	}
}

/*
 * sm_check_statement raises the refusal of one statement of a revision's
 * SQL ("direction": upgrade or downgrade; "n": its 1-based number), if any.
 */
void
sm_check_statement(const SmStatement *st, int n, const char *id,
				   const char *direction)
{
	if (st->refusal == NULL)
		return;
	ereport(ERROR,
			(errcode(st->refusal->sqlstate),
			 errmsg("%s", st->refusal->message),
			 errdetail("Statement %d of the %s SQL of revision \"%s\": %s", n,
					   direction, id, st->sql),
			 errhint("%s", st->refusal->hint)));
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
		st->refusal = stmt_refusal(rs->stmt);
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
