/*-------------------------------------------------------------------------
 *
 * catalog.c
 *	  Reading and writing the version table and the migration log.
 *
 * Callers hold the catalog lock (sm_lock_catalog) and have SPI connected.
 * Every query is schema-qualified and parameterised; writes run with the
 * extension owner's rights (guard.c), rows name the calling role.
 *
 * src/catalog/catalog.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "catalog.h"

/*
 * sm_version_heads returns the version table's revisions (List of palloc'd
 * C strings) in table order, which Alembic's "-N from several heads" uses.
 */
List *
sm_version_heads(void)
{
	List	   *heads = NIL;
	uint64		n;
	uint64		i;
	MemoryContext caller = CurrentMemoryContext;

	n = sm_spi_exec("SELECT revision FROM schemamig.version ORDER BY position",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	for (i = 0; i < n; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		heads = lappend(heads, pstrdup(sm_spi_getstr(i, 1)));
		MemoryContextSwitchTo(old);
	}
	return heads;
}

/*
 * sm_version_write replaces the version table's contents by "heads", in
 * list order.  The graph engine keeps Alembic's table order in the list (an
 * entry replaced in place keeps its position, new entries come last).
 */
void
sm_version_write(List *heads)
{
	Oid			argtypes[1] = {TEXTARRAYOID};
	Datum		values[1];

	sm_spi_exec_owner("DELETE FROM schemamig.version", SPI_OK_DELETE, 0, NULL, NULL, NULL);
	if (heads == NIL)
		return;
	values[0] = sm_text_array_datum(heads);
	sm_spi_exec_owner("INSERT INTO schemamig.version (revision, position) "
				"SELECT h.revision, h.position "
				"FROM pg_catalog.unnest($1) WITH ORDINALITY AS h(revision, position)",
				SPI_OK_INSERT, 1, argtypes, values, NULL);
}

/*
 * sm_log_step appends one row to schemamig.log.  "revision" and "checksum"
 * may be NULL (a stamp names no single revision).
 */
void
sm_log_step(const char *revision, const char *direction,
			List *heads_before, List *heads_after,
			TimestampTz started_at, TimestampTz finished_at,
			const char *checksum)
{
	Oid			argtypes[8] = {TEXTOID, TEXTOID, TEXTARRAYOID, TEXTARRAYOID,
	TIMESTAMPTZOID, INTERVALOID, TEXTOID, NAMEOID};
	Datum		values[8];
	char		nulls[8] = "        ";
	Interval   *dur = palloc0(sizeof(Interval));

	dur->time = finished_at - started_at;
	values[0] = revision ? CStringGetTextDatum(revision) : (Datum) 0;
	nulls[0] = revision ? ' ' : 'n';
	values[1] = CStringGetTextDatum(direction);
	values[2] = sm_text_array_datum(heads_before);
	values[3] = sm_text_array_datum(heads_after);
	values[4] = TimestampTzGetDatum(started_at);
	values[5] = IntervalPGetDatum(dur);
	values[6] = checksum ? CStringGetTextDatum(checksum) : (Datum) 0;
	nulls[6] = checksum ? ' ' : 'n';
	values[7] = sm_caller_name_datum();

	sm_spi_exec_owner("INSERT INTO schemamig.log (revision, direction, heads_before, heads_after, "
					  "started_at, duration, role, checksum, backend_pid) "
					  "VALUES ($1, $2, $3, $4, $5, $6, $8, $7, pg_catalog.pg_backend_pid())",
					  SPI_OK_INSERT, 8, argtypes, values, nulls);
}
