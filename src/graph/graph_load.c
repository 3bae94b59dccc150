/*-------------------------------------------------------------------------
 *
 * graph_load.c
 *	  The server's way into the shared graph engine (src/common/graph.c):
 *	  the revisions of schemamig.revision, read by the catalog module.
 *
 * src/graph/graph_load.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog.h"
#include "graph.h"

/*
 * graph_load reads schemamig.revision in registration order and builds and
 * validates the graph.  Everything is allocated in the memory context
 * current at entry.
 */
SmGraph *
graph_load(bool with_sql)
{
	SmRevision **revs;
	int			n;

	revs = sm_catalog_revisions(with_sql, &n);
	return graph_build(revs, n);
}
