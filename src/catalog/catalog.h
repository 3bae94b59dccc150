/*-------------------------------------------------------------------------
 *
 * catalog.h
 *	  Version table and migration log access (catalog.c).
 *
 * src/catalog/catalog.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_CATALOG_H
#define SM_CATALOG_H

#include "pg_schemamig.h"
#include "datatype/timestamp.h"

extern List *sm_version_heads(void);
extern void sm_version_write(List *heads);
extern void sm_log_step(const char *revision, const char *direction,
						List *heads_before, List *heads_after,
						TimestampTz started_at, TimestampTz finished_at,
						const char *checksum);

#endif							/* SM_CATALOG_H */
