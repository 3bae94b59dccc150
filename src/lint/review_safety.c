/*-------------------------------------------------------------------------
 *
 * review_safety.c
 *	  May review() run one of its data-check queries?  The query holds an
 *	  expression taken from a revision (a CHECK constraint) or from the
 *	  catalog (a constraint to validate), and review() runs with the rights
 *	  of whoever reviews: a function in that expression would run as the
 *	  reviewer (a superuser, as likely as not).
 *
 * The query is parse-analysed here, with search_path pinned to pg_catalog
 * by the caller (so that the execution that follows resolves every name the
 * same way, whatever another session creates meanwhile), and allowed only
 * when every function it would call (operators, casts and I/O conversions
 * included) is built in or owned by a superuser, and immutable; when it
 * reads only plain tables, partitioned tables and materialized views; and
 * when no domain constraint (which can call anything) is checked.  Row-level
 * security, whose policies could call anything too, is turned off by the
 * caller, so a table it would apply to makes the query fail instead.
 *
 * src/lint/review_safety.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/transam.h"
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "parser/analyze.h"
#include "parser/parser.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "lint.h"

typedef struct SafetyContext
{
	char	   *why;			/* the first reason to refuse, or NULL */
} SafetyContext;

/* a function review() may call with the reviewer's rights */
static bool
function_is_trusted(Oid funcid, void *arg)
{
	HeapTuple	tup;
	Form_pg_proc proc;
	bool		ok;

	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(funcid));
	if (!HeapTupleIsValid(tup))
		return false;
	proc = (Form_pg_proc) GETSTRUCT(tup);
	ok = proc->provolatile == PROVOLATILE_IMMUTABLE &&
		(funcid < FirstNormalObjectId || superuser_arg(proc->proowner));
	ReleaseSysCache(tup);
	return ok;
}

/* check_functions_in_node callback: true for a function that is not trusted */
static bool
function_is_untrusted(Oid funcid, void *arg)
{
	SafetyContext *cxt = (SafetyContext *) arg;

	if (function_is_trusted(funcid, NULL))
		return false;
	if (cxt->why == NULL)
	{
		char	   *name = get_func_name(funcid);
		char	   *nsp = get_namespace_name(get_func_namespace(funcid));

		cxt->why = psprintf("it calls %s.%s(), which is neither an immutable built-in function nor an immutable function owned by a superuser",
							nsp ? nsp : "?", name ? name : "?");
	}
	return true;
}

static bool safety_walker(Node *node, SafetyContext *cxt);

/* the relations a query reads */
static bool
rtable_is_safe(List *rtable, SafetyContext *cxt)
{
	ListCell   *lc;

	foreach(lc, rtable)
	{
		RangeTblEntry *rte = lfirst_node(RangeTblEntry, lc);

		switch (rte->rtekind)
		{
			case RTE_RELATION:
				if (rte->relkind != RELKIND_RELATION &&
					rte->relkind != RELKIND_PARTITIONED_TABLE &&
					rte->relkind != RELKIND_MATVIEW)
				{
					cxt->why = psprintf("it reads %s, which is not a table",
										get_rel_name(rte->relid));
					return false;
				}
				break;
			case RTE_SUBQUERY:
			case RTE_JOIN:
			case RTE_VALUES:
			case RTE_RESULT:
				break;
			default:
				cxt->why = pstrdup("it reads from a function or another source that is not a table");
				return false;
		}
	}
	return true;
}

static bool
safety_walker(Node *node, SafetyContext *cxt)
{
	if (node == NULL)
		return false;
	if (IsA(node, Query))
	{
		Query	   *q = (Query *) node;

		if (q->commandType != CMD_SELECT || q->utilityStmt != NULL ||
			q->hasModifyingCTE || q->rowMarks != NIL)
		{
			cxt->why = pstrdup("it is not a plain query");
			return true;
		}
		if (!rtable_is_safe(q->rtable, cxt))
			return true;
		return query_tree_walker(q, safety_walker, cxt, 0);
	}
	if (IsA(node, CoerceToDomain))
	{
		cxt->why = pstrdup("it checks a domain's constraints");
		return true;
	}
	if (IsA(node, NextValueExpr))
	{
		cxt->why = pstrdup("it advances a sequence");
		return true;
	}
	if (check_functions_in_node(node, function_is_untrusted, cxt))
		return true;
	return expression_tree_walker(node, safety_walker, cxt);
}

/*
 * sm_review_query_is_safe: true when "query" (one SELECT) calls nothing the
 * reviewer should not run; otherwise false with *why saying what it would
 * call.  Errors of parse analysis propagate.
 */
bool
sm_review_query_is_safe(const char *query, char **why)
{
	List	   *raw = raw_parser(query, RAW_PARSE_DEFAULT);
	SafetyContext cxt = {NULL};
	ListCell   *lc;

	if (list_length(raw) != 1)
	{
		*why = pstrdup("it is not a single query");
		return false;
	}
	foreach(lc, raw)
	{
		Query	   *q = parse_analyze_fixedparams(lfirst_node(RawStmt, lc), query,
												  NULL, 0, NULL);

		if (safety_walker((Node *) q, &cxt))
		{
			*why = cxt.why ? cxt.why : pstrdup("it is not a plain query");
			return false;
		}
	}
	return true;
}
