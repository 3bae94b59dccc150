/*-------------------------------------------------------------------------
 *
 * catalog.c
 *	  Every SQL statement pg_schemamig runs on schemamig.revision,
 *	  schemamig.version and schemamig.log.
 *
 * Callers have SPI connected (sm_spi_connect), and hold the catalog lock
 * (sm_lock_catalog) before they write.  Every query is schema-qualified and
 * parameterised.  Results are built in the caller's memory context.
 *
 * src/catalog/catalog.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "access/htup_details.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "catalog.h"
#include "sm_citus.h"

/* a text column of the current SPI result as a C string (NULL for NULL) */
static char *
get_text(uint64 row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

#define REVISION_COLUMNS \
	"id, message, down_revisions, branch_labels, depends_on, " \
	"downgrade_sql IS NOT NULL, transactional, checksum"

/* a text Datum as a C string (NULL for NULL) */
static char *
datum_text(Datum d, bool isnull)
{
	return isnull ? NULL : TextDatumGetCString(d);
}

/* a text[] Datum as a List of C strings (NIL for NULL or empty) */
static List *
datum_text_list(Datum d, bool isnull)
{
	ArrayType  *arr;

	if (isnull)
		return NIL;
	arr = DatumGetArrayTypeP(d);
	if (ARR_NDIM(arr) == 0)
		return NIL;
	return sm_text_array_to_list(arr, NULL);
}

/*
 * one SmRevision from row "row" of a query selecting REVISION_COLUMNS
 * [, SQL]; the row is deformed once (10,000 revisions per graph load)
 */
static SmRevision *
revision_from_row(uint64 row, bool with_sql)
{
	SmRevision *rev = palloc0(sizeof(SmRevision));
	Datum		v[10];
	bool		isnull[10];

	Assert(SPI_tuptable->tupdesc->natts == (with_sql ? 10 : 8));
	heap_deform_tuple(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, v, isnull);
	rev->index = (int) row;
	rev->id = datum_text(v[0], isnull[0]);
	rev->message = datum_text(v[1], isnull[1]);
	rev->down = datum_text_list(v[2], isnull[2]);
	rev->labels = datum_text_list(v[3], isnull[3]);
	rev->depends = datum_text_list(v[4], isnull[4]);
	rev->has_downgrade = !isnull[5] && DatumGetBool(v[5]);
	rev->transactional = !isnull[6] && DatumGetBool(v[6]);
	rev->checksum = datum_text(v[7], isnull[7]);
	if (with_sql)
	{
		rev->upgrade_sql = datum_text(v[8], isnull[8]);
		rev->downgrade_sql = datum_text(v[9], isnull[9]);
	}
	return rev;
}

/*
 * sm_catalog_revisions reads schemamig.revision in registration order, the
 * SQL too when "with_sql".  Returns an array of *nrows revisions, each with
 * its index set to its position.
 */
SmRevision **
sm_catalog_revisions(bool with_sql, int *nrows)
{
	uint64		n;
	uint64		row;
	SmRevision **revs;

	/* a Citus worker's catalog is empty: say where the history is */
	sm_citus_require_coordinator();

	n = sm_spi_exec(with_sql ?
					"SELECT " REVISION_COLUMNS ", upgrade_sql, downgrade_sql "
					"FROM schemamig.revision ORDER BY seq" :
					"SELECT " REVISION_COLUMNS " FROM schemamig.revision ORDER BY seq",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	if (n > (uint64) (MaxAllocSize / sizeof(SmRevision *)))
		elog(ERROR, "too many revisions");
	revs = palloc(sizeof(SmRevision *) * Max(n, 1));
	for (row = 0; row < n; row++)
	{
		CHECK_FOR_INTERRUPTS();
		revs[row] = revision_from_row(row, with_sql);
	}
	*nrows = (int) n;
	return revs;
}

/*
 * sm_catalog_revision reads one revision, SQL included, or returns NULL when
 * there is none of that id.  Its "index" is not meaningful.
 */
SmRevision *
sm_catalog_revision(const char *id)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(id);
	if (sm_spi_exec("SELECT " REVISION_COLUMNS ", upgrade_sql, downgrade_sql "
					"FROM schemamig.revision WHERE id OPERATOR(pg_catalog.=) $1",
					SPI_OK_SELECT, 1, argtypes, values, NULL) != 1)
		return NULL;
	return revision_from_row(0, true);
}

/*
 * sm_catalog_revision_sql reads the SQL of one revision; false when there
 * is none of that id.  *downgrade_sql is NULL for an irreversible one.
 */
bool
sm_catalog_revision_sql(const char *id, char **upgrade_sql, char **downgrade_sql)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(id);
	if (sm_spi_exec("SELECT upgrade_sql, downgrade_sql FROM schemamig.revision "
					"WHERE id OPERATOR(pg_catalog.=) $1",
					SPI_OK_SELECT, 1, argtypes, values, NULL) != 1)
		return false;
	*upgrade_sql = get_text(0, 1);
	*downgrade_sql = get_text(0, 2);
	return true;
}

/*
 * sm_catalog_revision_is_new: true when registering "id" with these
 * parents, labels and dependencies cannot clash with the registered graph
 * (the id and labels are unused, every parent and dependency exists), so
 * that add_revision can skip loading the whole graph.
 */
bool
sm_catalog_revision_is_new(const char *id, List *down, List *labels, List *deps)
{
	Oid			argtypes[4] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	Datum		values[4];
	bool		isnull;

	values[0] = CStringGetTextDatum(id);
	values[1] = sm_text_array_datum(down);
	values[2] = sm_text_array_datum(labels);
	values[3] = sm_text_array_datum(deps);
	sm_spi_exec("SELECT NOT EXISTS (SELECT FROM schemamig.revision r"
				"  WHERE r.id OPERATOR(pg_catalog.=) $1"
				"     OR r.id OPERATOR(pg_catalog.=) ANY ($3)"
				"     OR $1 OPERATOR(pg_catalog.=) ANY (r.branch_labels)"
				"     OR r.branch_labels OPERATOR(pg_catalog.&&) $3)"
				" AND NOT EXISTS (SELECT FROM pg_catalog.unnest($2) p(id)"
				"  WHERE NOT EXISTS (SELECT FROM schemamig.revision r WHERE r.id OPERATOR(pg_catalog.=) p.id))"
				" AND NOT EXISTS (SELECT FROM pg_catalog.unnest($4) d(name)"
				"  WHERE NOT EXISTS (SELECT FROM schemamig.revision r"
				"    WHERE r.id OPERATOR(pg_catalog.=) d.name OR d.name OPERATOR(pg_catalog.=) ANY (r.branch_labels)))",
				SPI_OK_SELECT, 4, argtypes, values, NULL);
	return sm_spi_getbool(0, 1, &isnull) && !isnull;
}

/*
 * sm_catalog_revision_write inserts a revision ("insert") or replaces every
 * field of a registered one (created_at/created_by renewed), with the
 * current checksum algorithm.
 */
void
sm_catalog_revision_write(bool insert, const char *id, const char *message,
						  List *down, List *labels, List *deps,
						  const char *upgrade_sql, const char *downgrade_sql,
						  bool transactional, const char *checksum)
{
	Oid			argtypes[11] = {TEXTOID, TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTOID, TEXTOID, BOOLOID, TEXTOID, TEXTOID, NAMEOID};
	Datum		values[11];
	char		nulls[11] = "           ";

	values[0] = CStringGetTextDatum(id);
	values[1] = CStringGetTextDatum(message);
	values[2] = sm_text_array_datum(down);
	values[3] = sm_text_array_datum(labels);
	values[4] = sm_text_array_datum(deps);
	values[5] = CStringGetTextDatum(upgrade_sql);
	values[6] = downgrade_sql ? CStringGetTextDatum(downgrade_sql) : (Datum) 0;
	nulls[6] = downgrade_sql ? ' ' : 'n';
	values[7] = BoolGetDatum(transactional);
	values[8] = CStringGetTextDatum(checksum);
	values[9] = CStringGetTextDatum(SM_CHECKSUM_ALGORITHM);
	values[10] = sm_caller_name_datum();
	if (insert)
		sm_spi_exec_owner("INSERT INTO schemamig.revision (id, message, down_revisions, branch_labels, "
						  "depends_on, upgrade_sql, downgrade_sql, transactional, checksum, checksum_algorithm, "
						  "created_by) "
						  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
						  SPI_OK_INSERT, 11, argtypes, values, nulls);
	else
		sm_spi_exec_owner("UPDATE schemamig.revision SET message = $2, down_revisions = $3, "
						  "branch_labels = $4, depends_on = $5, upgrade_sql = $6, downgrade_sql = $7, "
						  "transactional = $8, checksum = $9, checksum_algorithm = $10, "
						  "created_at = pg_catalog.now(), created_by = $11 "
						  "WHERE id OPERATOR(pg_catalog.=) $1",
						  SPI_OK_UPDATE, 11, argtypes, values, nulls);
}

/* sm_catalog_revision_set_message changes only a revision's message. */
void
sm_catalog_revision_set_message(const char *id, const char *message)
{
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		values[2];

	values[0] = CStringGetTextDatum(id);
	values[1] = CStringGetTextDatum(message);
	sm_spi_exec_owner("UPDATE schemamig.revision SET message = $2 "
				"WHERE id OPERATOR(pg_catalog.=) $1",
				SPI_OK_UPDATE, 2, argtypes, values, NULL);
}

/* sm_catalog_revision_delete removes one revision. */
void
sm_catalog_revision_delete(const char *id)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(id);
	sm_spi_exec_owner("DELETE FROM schemamig.revision WHERE id OPERATOR(pg_catalog.=) $1",
				SPI_OK_DELETE, 1, argtypes, values, NULL);
}

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

	sm_citus_require_coordinator();

	n = sm_spi_exec("SELECT revision FROM schemamig.version ORDER BY position",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	for (i = 0; i < n; i++)
		heads = lappend(heads, sm_spi_getstr(i, 1));
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
 * may be NULL (a stamp names no single revision).  The statement is
 * prepared once per backend (upgrade() writes one row per revision).
 */
void
sm_log_step(const char *revision, const char *direction,
			List *heads_before, List *heads_after,
			TimestampTz started_at, TimestampTz finished_at,
			const char *checksum)
{
	static SPIPlanPtr plan = NULL;
	Datum		values[8];
	char		nulls[8] = "        ";
	Interval   *dur = palloc0(sizeof(Interval));

	if (plan == NULL)
	{
		Oid			argtypes[8] = {TEXTOID, TEXTOID, TEXTARRAYOID, TEXTARRAYOID,
		TIMESTAMPTZOID, INTERVALOID, TEXTOID, NAMEOID};
		MemoryContext caller = CurrentMemoryContext;
		SPIPlanPtr	p;

		p = SPI_prepare("INSERT INTO schemamig.log (revision, direction, heads_before, heads_after, "
						"started_at, duration, role, checksum, backend_pid) "
						"VALUES ($1, $2, $3, $4, $5, $6, $8, $7, pg_catalog.pg_backend_pid())",
						8, argtypes);
		MemoryContextSwitchTo(caller);
		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare the schemamig.log insert: %s",
				 SPI_result_code_string(SPI_result));
		plan = p;
	}

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
	(void) sm_spi_exec_plan_owner(plan, "write schemamig.log", SPI_OK_INSERT, values, nulls);
}
