/*-------------------------------------------------------------------------
 *
 * verify.h
 *	  The verify subsystem: verify() proves each revision reversible on the
 *	  live data, dry_run() runs the statements of a migration and reports
 *	  their locks, rewrites and rows; everything is rolled back.
 *
 * verify.c and dry_run.c hold the SQL entry points; schemadiff.c names the
 * differences between two describe() documents; txequiv.c turns the
 * statements that cannot run in a transaction into their transactional
 * equivalents; src/catalog/subxact.c runs code in internal subtransactions.
 *
 * src/verify/verify.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_VERIFY_H
#define SM_VERIFY_H

#include "pg_schemamig.h"
#include "utils/jsonb.h"
#include "utils/resowner.h"

/*
 * txequiv.c: the text to run instead of a statement that cannot run inside
 * a transaction block (NULL: run it as written; "": skip it, it changes no
 * schema).  *note says what was done ("CREATE INDEX for CREATE INDEX
 * CONCURRENTLY").  A statement with no equivalent raises an error.
 */
extern const char *sm_transactional_equivalent(const SmStatement *st,
											   int stmt_no, char **note);

/*
 * schemadiff.c: the differences between two describe() documents, as a
 * List of readable C strings in a stable order ("sequence public.s left
 * behind").  "extra"/"missing" are the words for an object only in "after"
 * or only in "before".
 */
extern List *sm_schema_differences(Jsonb *before, Jsonb *after,
								   const char *extra, const char *missing);
extern char *sm_join_differences(List *diffs, int max);

#include "subxact.h"		/* internal subtransactions (src/catalog) */

#endif							/* SM_VERIFY_H */
