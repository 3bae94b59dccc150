/*-------------------------------------------------------------------------
 *
 * graph_load.c
 *	  The server's way into the shared graph engine (src/common/graph.c):
 *	  the revisions of schemamig.revision, read by the catalog module, and
 *	  a per-backend cache of the graph they make.
 *
 * The cache.  Building the graph of 10,000 revisions costs tens of
 * milliseconds, and most calls (plan, heads, history, upgrade) read a
 * catalog nobody changed since the last one.  The graph is kept in a
 * context of its own together with the catalog stamp it was read at
 * (sm_catalog_stamp: the generation every write to schemamig.revision
 * moves on, and the xmin of that row version, so that a bump that rolled
 * back and another one to the same number are told apart).  A call whose
 * snapshot sees the same stamp gets the cached graph; any other builds a
 * new one.  A relcache invalidation of schemamig.revision (TRUNCATE,
 * ALTER TABLE ... DISABLE TRIGGER, DROP EXTENSION, GRANT/REVOKE) drops the
 * cache too, and a role that could not read the whole table itself never
 * gets the cached graph.
 *
 * Callers may hold pointers into a graph until their transaction ends, and
 * nested calls (a revision's SQL calling schemamig.heads()) may replace
 * the cache meanwhile: a replaced graph's context is therefore handed to
 * TopTransactionContext, which frees it at the end of the transaction.
 * The graph engine's functions only read the graph (their visit marks are
 * generation-stamped), and SQL loaded into a cached revision later
 * (sm_load_revision_sql) is allocated in the revision's own context.
 *
 * src/graph/graph_load.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/transam.h"
#include "catalog/namespace.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rls.h"

#include "catalog.h"
#include "graph.h"
#include "pg_schemamig.h"

static MemoryContext cache_cxt = NULL;
static SmGraph *cache_graph = NULL;
static bool cache_with_sql = false;
static bool cache_valid = false;
static SmCatalogStamp cache_stamp;
static Oid	cache_relid = InvalidOid;
static bool callback_registered = false;

/* relcache callback: drop the cache when schemamig.revision changes shape */
static void
graph_cache_relcache_cb(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == cache_relid)
		cache_valid = false;	/* freed on the next graph_load, not here */
}

/*
 * may_use_cache: a cached graph is shared by every role of the session, so
 * it is read and used only by a role whose own read sees the whole table
 * (SELECT on it, no row security in the way).
 */
static bool
may_use_cache(Oid relid)
{
	return OidIsValid(relid) &&
		pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
		check_enable_rls(relid, InvalidOid, true) == RLS_NONE;
}

/* build the graph from the catalog in the current memory context */
static SmGraph *
load_uncached(bool with_sql)
{
	SmRevision **revs;
	int			n;

	revs = sm_catalog_revisions(with_sql, &n);
	return graph_build(revs, n);
}

/*
 * graph_load returns the graph of schemamig.revision as the current
 * snapshot sees it, built and validated, the SQL included when "with_sql".
 * It is valid until the end of the transaction; callers must not change it.
 */
SmGraph *
graph_load(bool with_sql)
{
	SmCatalogStamp stamp;
	MemoryContext cxt;
	MemoryContext old;
	SmGraph    *g;
	Oid			relid;

	/* a damaged state row, or a role whose own read could differ: no cache */
	relid = get_relname_relid("revision", get_namespace_oid("schemamig", true));
	if (!sm_catalog_stamp(&stamp) || !may_use_cache(relid))
		return load_uncached(with_sql);

	if (cache_valid && cache_graph != NULL && cache_relid == relid &&
		cache_stamp.generation == stamp.generation &&
		TransactionIdEquals(cache_stamp.xmin, stamp.xmin) &&
		(cache_with_sql || !with_sql))
		return cache_graph;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(graph_cache_relcache_cb, (Datum) 0);
		callback_registered = true;
	}

	/* built under the caller's context first: an error frees it */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "pg_schemamig graph",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	g = load_uncached(with_sql);
	MemoryContextSwitchTo(old);

	if (cache_cxt != NULL)
		MemoryContextSetParent(cache_cxt, TopTransactionContext);
	MemoryContextSetParent(cxt, TopMemoryContext);
	cache_cxt = cxt;
	cache_graph = g;
	cache_with_sql = with_sql;
	cache_stamp = stamp;
	cache_relid = relid;
	cache_valid = true;
	return g;
}
