/*-------------------------------------------------------------------------
 *
 * catalog.h
 *	  The one module that runs SQL on schemamig.*: the revision table, the
 *	  version table and the migration log (catalog.c), snapshots, the drift
 *	  log and check()'s reads (catalog_drift.c).
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
#include "utils/jsonb.h"

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

/* catalog_amend.c: corrections of an applied revision's downgrade */
extern char *sm_catalog_revision_downgrade(const char *id, bool *found);
extern void sm_catalog_revision_amend_downgrade(const char *id, const char *downgrade_sql,
												const char *checksum);
extern void sm_catalog_revision_delete(const char *id);

/* schemamig.version */
extern List *sm_version_heads(void);
extern void sm_version_write(List *heads);
/* schemamig.log */
extern void sm_log_step(const char *revision, const char *direction,
						List *heads_before, List *heads_after,
						TimestampTz started_at, TimestampTz finished_at,
						const char *checksum);

/* catalog_drift.c: schemamig.snapshot, schemamig.drift, check()'s reads */
typedef struct SmSnapshotRow
{
	char	   *id;				/* as text */
	char	   *fingerprint;
	char	   *algorithm;
	bool		all_schemas;	/* taken over every tracked schema */
	List	   *schemas;		/* char *, unless all_schemas */
	char	   *heads;			/* "a, b", or NULL at base */
} SmSnapshotRow;

typedef struct SmDriftRow
{
	char	   *id;				/* as text */
	char	   *command_tag;
	char	   *object;			/* object type and identity */
	char	   *role;
} SmDriftRow;

extern void sm_catalog_snapshot_insert(List *heads, List *schemas, bool all,
									   const char *fingerprint,
									   const char *algorithm,
									   Jsonb *description);
extern bool sm_catalog_latest_snapshot(SmSnapshotRow *out);
extern uint64 sm_catalog_drift_acknowledge(bool all, int64 upto, const char *role);
extern List *sm_catalog_unacknowledged_drift(void);
extern List *sm_catalog_checksummed_revisions(const char *algorithm);
extern List *sm_catalog_changed_since_applied(void);

#endif							/* SM_CATALOG_H */
