/*-------------------------------------------------------------------------
 *
 * revision.h
 *	  One revision of the revision graph, as the catalog (server) or the
 *	  migration files (client) give it to the graph engine.
 *
 * src/common/revision.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_REVISION_H
#define SM_REVISION_H

#include "nodes/pg_list.h"

typedef struct SmRevision
{
	int			index;			/* registration order, 0-based */
	char	   *id;
	char	   *message;
	List	   *down;			/* char *: down_revisions, as registered */
	List	   *labels;			/* char *: branch_labels declared here */
	List	   *depends;		/* char *: depends_on, as registered */
	char	   *upgrade_sql;	/* NULL unless loaded with_sql */
	char	   *downgrade_sql;	/* NULL unless loaded with_sql, or irreversible */
	bool		has_downgrade;	/* downgrade_sql IS NOT NULL in the catalog */
	bool		transactional;
	char	   *checksum;
	void	   *priv;			/* graph.c's own per-revision data */
} SmRevision;

#endif							/* SM_REVISION_H */
