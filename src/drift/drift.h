/*-------------------------------------------------------------------------
 *
 * drift.h
 *	  Schema snapshots, the drift log written by the event triggers, and
 *	  check().
 *
 * src/drift/drift.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_DRIFT_H
#define SM_DRIFT_H

#include "pg_schemamig.h"

/*
 * sm_snapshot_record computes the fingerprint of the tracked schemas
 * (schemamig.tracked_schemas) and stores it in schemamig.snapshot as the
 * expected schema at "heads" (List of char *; order does not matter).
 * Called with SPI connected, inside the caller's transaction, at the end of
 * every mutating call and after each revision of upgrade_each.
 */
extern void sm_snapshot_record(List *heads);

/* drift_statement.c */
extern char *sm_drift_statement(const char *tag);

#endif							/* SM_DRIFT_H */
