/*-------------------------------------------------------------------------
 *
 * backfill_job.h
 *	  schemamig.backfill_job: the state of batched backfills
 *	  (backfill_job.c).
 *
 * src/catalog/backfill_job.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_BACKFILL_JOB_H
#define SM_BACKFILL_JOB_H

#include "pg_schemamig.h"

/* one job as recorded; keys are the key columns' text output */
typedef struct SmBackfillJob
{
	int64		id;
	int			nkeys;
	char	  **last;			/* last key a finished batch reached, or NULL */
	int64		rows;			/* rows updated so far */
	int64		batches;		/* batches finished */
	bool		finished;
	char	   *finished_at;	/* as text, when finished */
} SmBackfillJob;

/*
 * Finds the job for (relid, set_clause, where_clause), creating it with the
 * given key columns (a text[] of names) if it is new.  Refuses a job whose
 * recorded key columns differ from "keycols".
 */
extern SmBackfillJob *sm_backfill_job_open(Oid relid, const char *relname,
										   const char *set_clause,
										   const char *where_clause,
										   List *keycols);

/*
 * Locks the job's row until the end of the transaction and re-reads its
 * progress into "job" (another session may run the same job).  Returns
 * false when the job row is gone.
 */
extern bool sm_backfill_job_lock(SmBackfillJob *job);

/*
 * Records one finished batch: its last key ("upper", NULL for the final
 * batch, which finishes the job) and the rows it updated.  Commits with the
 * batch's UPDATE.
 */
extern void sm_backfill_job_advance(SmBackfillJob *job, char **upper, int64 rows);

#endif							/* SM_BACKFILL_JOB_H */
