/*-------------------------------------------------------------------------
 *
 * catalog.h
 *	  The one module that runs SQL on schemamig.*: the revision table, the
 *	  version table and the migration log (catalog.c).
 *
 * src/catalog/catalog.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_CATALOG_H
#define SM_CATALOG_H

#include "pg_schemamig.h"
#include "datatype/timestamp.h"
#include "revision.h"

/* schemamig.revision */
extern SmRevision **sm_catalog_revisions(bool with_sql, int *nrows);
extern SmRevision *sm_catalog_revision(const char *id);
extern bool sm_catalog_revision_sql(const char *id, char **upgrade_sql,
									char **downgrade_sql);
extern bool sm_catalog_revision_is_new(const char *id, List *down,
									   List *labels, List *deps);
extern void sm_catalog_revision_write(bool insert, const char *id,
									  const char *message, List *down,
									  List *labels, List *deps,
									  const char *upgrade_sql,
									  const char *downgrade_sql,
									  bool transactional, const char *checksum);
extern void sm_catalog_revision_set_message(const char *id, const char *message);
extern void sm_catalog_revision_delete(const char *id);

/* schemamig.version */
extern List *sm_version_heads(void);
extern void sm_version_write(List *heads);
/* schemamig.log */
extern void sm_log_step(const char *revision, const char *direction,
						List *heads_before, List *heads_after,
						TimestampTz started_at, TimestampTz finished_at,
						const char *checksum);

#endif							/* SM_CATALOG_H */
