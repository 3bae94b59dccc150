/*-------------------------------------------------------------------------
 *
 * catalog_drift.c
 *	  The SQL pg_schemamig runs on schemamig.snapshot and schemamig.drift,
 *	  and the catalog reads of check() (catalog.h).
 *
 * The drift event triggers insert their rows with heap_insert (drift.c),
 * not SQL: they must work without SPI in the middle of someone's DDL.
 * Callers have SPI connected; results are built in the caller's memory
 * context.
 *
 * src/catalog/catalog_drift.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "catalog.h"

/*
 * sm_catalog_snapshot_insert records a snapshot: the heads (sorted), the
 * schemas it covers (NIL with "all": every tracked schema), the fingerprint
 * with its algorithm, and the description it was taken from (NULL: none),
 * so that check can say what differs.
 */
void
sm_catalog_snapshot_insert(List *heads, List *schemas, bool all,
						   const char *fingerprint, const char *algorithm,
						   Jsonb *description)
{
	Oid			argtypes[5] = {TEXTARRAYOID, TEXTARRAYOID, TEXTOID, TEXTOID, JSONBOID};
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};

	values[0] = sm_text_array_datum(heads);
	if (all)
	{
		values[1] = (Datum) 0;
		nulls[1] = 'n';
	}
	else
		values[1] = sm_text_array_datum(schemas);
	values[2] = CStringGetTextDatum(fingerprint);
	values[3] = CStringGetTextDatum(algorithm);
	if (description != NULL)
		values[4] = JsonbPGetDatum(description);
	else
	{
		values[4] = (Datum) 0;
		nulls[4] = 'n';
	}
	sm_spi_exec("INSERT INTO " SM_SCHEMA ".snapshot (heads, schemas, fingerprint, algorithm, description)"
				" SELECT ARRAY(SELECT h FROM pg_catalog.unnest($1) h ORDER BY h COLLATE \"C\"),"
				" CASE WHEN $2 IS NOT NULL THEN"
				" ARRAY(SELECT DISTINCT s COLLATE \"C\" FROM pg_catalog.unnest($2) s ORDER BY 1) END,"
				" $3, $4, $5",
				SPI_OK_INSERT, 5, argtypes, values, nulls);
}

/*
 * sm_catalog_latest_snapshot finds the latest snapshot taken at the version
 * table's current heads; false when there is none.
 */
bool
sm_catalog_latest_snapshot(SmSnapshotRow *out)
{
	bool		isnull;
	char	   *heads;

	if (sm_spi_exec("SELECT s.id::text, s.fingerprint, s.algorithm, s.schemas,"
					" pg_catalog.array_to_string(s.heads, ', ')"
					" FROM " SM_SCHEMA ".snapshot s"
					" WHERE s.heads OPERATOR(pg_catalog.=) ARRAY(SELECT v.revision"
					"   FROM " SM_SCHEMA ".version v ORDER BY v.revision COLLATE \"C\")"
					" ORDER BY s.id DESC LIMIT 1",
					SPI_OK_SELECT, 0, NULL, NULL, NULL) == 0)
		return false;
	out->id = sm_spi_getstr(0, 1);
	out->fingerprint = sm_spi_getstr(0, 2);
	out->algorithm = sm_spi_getstr(0, 3);
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull);
	out->all_schemas = isnull;
	out->schemas = isnull ? NIL : sm_spi_gettextarray(0, 4);
	heads = sm_spi_getstr(0, 5);
	out->heads = (heads == NULL || heads[0] == '\0') ? NULL : heads;
	return true;
}

/*
 * sm_catalog_drift_acknowledge marks the unacknowledged drift rows (up to
 * id "upto" unless "all") as acknowledged by "role"; returns their count.
 */
uint64
sm_catalog_drift_acknowledge(bool all, int64 upto, const char *role)
{
	Oid			argtypes[2] = {INT8OID, NAMEOID};
	Datum		values[2];
	char		nulls[2] = {' ', ' '};

	if (all)
	{
		values[0] = (Datum) 0;
		nulls[0] = 'n';
	}
	else
		values[0] = Int64GetDatum(upto);
	values[1] = DirectFunctionCall1(namein, CStringGetDatum(role));
	return sm_spi_exec("UPDATE " SM_SCHEMA ".drift"
					   " SET acknowledged = true, acknowledged_at = pg_catalog.now(),"
					   " acknowledged_by = $2"
					   " WHERE NOT acknowledged"
					   " AND ($1 IS NULL OR id OPERATOR(pg_catalog.<=) $1)",
					   SPI_OK_UPDATE, 2, argtypes, values, nulls);
}

/*
 * sm_catalog_unacknowledged_drift returns the unacknowledged drift rows,
 * oldest first, as a List of SmDriftRow.
 */
List *
sm_catalog_unacknowledged_drift(void)
{
	uint64		n;
	uint64		i;
	List	   *rows = NIL;

	n = sm_spi_exec("SELECT id::text, command_tag,"
					" pg_catalog.concat_ws(' ', object_type, object_identity), role::text"
					" FROM " SM_SCHEMA ".drift WHERE NOT acknowledged ORDER BY id",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	for (i = 0; i < n; i++)
	{
		SmDriftRow *r = palloc(sizeof(SmDriftRow));

		CHECK_FOR_INTERRUPTS();
		r->id = sm_spi_getstr(i, 1);
		r->command_tag = sm_spi_getstr(i, 2);
		r->object = sm_spi_getstr(i, 3);
		r->role = sm_spi_getstr(i, 4);
		rows = lappend(rows, r);
	}
	return rows;
}

/*
 * sm_catalog_checksummed_revisions returns the revisions whose checksum was
 * taken with "algorithm", SQL included, in registration order (their
 * "index" is their position in that list).
 */
List *
sm_catalog_checksummed_revisions(const char *algorithm)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	uint64		n;
	uint64		i;
	List	   *revs = NIL;

	values[0] = CStringGetTextDatum(algorithm);
	n = sm_spi_exec("SELECT id, upgrade_sql, downgrade_sql, transactional, checksum"
					" FROM " SM_SCHEMA ".revision"
					" WHERE checksum_algorithm OPERATOR(pg_catalog.=) $1"
					" ORDER BY seq",
					SPI_OK_SELECT, 1, argtypes, values, NULL);
	for (i = 0; i < n; i++)
	{
		SmRevision *rev = palloc0(sizeof(SmRevision));
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		rev->index = (int) i;
		rev->id = sm_spi_getstr(i, 1);
		rev->upgrade_sql = sm_spi_getstr(i, 2);
		rev->downgrade_sql = sm_spi_getstr(i, 3);
		rev->has_downgrade = rev->downgrade_sql != NULL;
		rev->transactional = sm_spi_getbool(i, 4, &isnull);
		rev->checksum = sm_spi_getstr(i, 5);
		revs = lappend(revs, rev);
	}
	return revs;
}

/*
 * sm_catalog_changed_since_applied returns the ids (registration order) of
 * revisions whose last logged step is an upgrade with another checksum
 * than the revision has now (unless only the downgrade was amended since:
 * the logged checksum is one an amendment replaced).
 */
List *
sm_catalog_changed_since_applied(void)
{
	uint64		n;
	uint64		i;
	List	   *ids = NIL;

	n = sm_spi_exec("SELECT l.revision FROM ("
					" SELECT DISTINCT ON (lg.revision) lg.revision, lg.direction, lg.checksum"
					" FROM " SM_SCHEMA ".log lg"
					" WHERE lg.revision IS NOT NULL"
					"   AND lg.direction OPERATOR(pg_catalog.=) ANY (ARRAY['upgrade', 'downgrade'])"
					" ORDER BY lg.revision, lg.id DESC) l"
					" JOIN " SM_SCHEMA ".revision r ON r.id OPERATOR(pg_catalog.=) l.revision"
					" WHERE l.direction OPERATOR(pg_catalog.=) 'upgrade' AND l.checksum IS NOT NULL"
					"   AND l.checksum OPERATOR(pg_catalog.<>) r.checksum"
					"   AND NOT EXISTS (SELECT 1 FROM " SM_SCHEMA ".revision_amendment a"
					"     WHERE a.revision OPERATOR(pg_catalog.=) r.id"
					"       AND a.old_checksum OPERATOR(pg_catalog.=) l.checksum)"
					" ORDER BY r.seq",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	for (i = 0; i < n; i++)
		ids = lappend(ids, sm_spi_getstr(i, 1));
	return ids;
}
