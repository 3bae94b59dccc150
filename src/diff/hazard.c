/*-------------------------------------------------------------------------
 *
 * hazard.c
 *	  Data checks behind diff's hazards: counts over the live rows, each in
 *	  its own rolled-back, read-only subtransaction under a time limit, so
 *	  that a check that fails (a cast error, a column the migration only
 *	  adds) or takes too long never fails diff itself.
 *
 * src/diff/hazard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"


#include "diff.h"
#include "subxact.h"

#define DIFF_CHECK_TIMEOUT_MS 10000

/*
 * diff_count runs a "SELECT count" query; *failed is set (and 0 returned)
 * when it raised an error.  A cancel that is not our timeout is re-thrown.
 */
int64
diff_count(const char *query, bool *failed)
{
	int64		count;
	ErrorData  *edata;
	bool		timed_out;

	*failed = !sm_bounded_count(query, DIFF_CHECK_TIMEOUT_MS, NULL, &count, &edata, &timed_out);
	return count;
}

/* does the live table hold any row? */
bool
diff_table_has_rows(const char *qtable)
{
	bool		failed;

	return diff_count(psprintf("SELECT EXISTS (SELECT 1 FROM %s)", qtable), &failed) > 0;
}

/* is the live table at least SM_SMALL_TABLE_BYTES (pg_table_size)? */
bool
diff_table_is_big(const char *qtable)
{
	bool		failed;

	return diff_count(psprintf("SELECT pg_catalog.pg_table_size(%s::pg_catalog.regclass)",
							   quote_literal_cstr(qtable)), &failed) >= SM_SMALL_TABLE_BYTES;
}
