/*-------------------------------------------------------------------------
 *
 * catalog_amend.c
 *	  The SQL pg_schemamig runs on schemamig.revision_amendment: an applied
 *	  revision's downgrade section may be corrected (its upgrade never), and
 *	  each correction keeps the old text, the checksums and who did it.
 *
 * src/catalog/catalog_amend.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "catalog.h"

/*
 * sm_catalog_revision_downgrade returns the registered downgrade SQL of
 * revision "id" (NULL when it is irreversible); *found says whether the
 * revision exists.
 */
char *
sm_catalog_revision_downgrade(const char *id, bool *found)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(id);
	*found = sm_spi_exec("SELECT r.downgrade_sql FROM " SM_SCHEMA ".revision r"
						 " WHERE r.id OPERATOR(pg_catalog.=) $1",
						 SPI_OK_SELECT, 1, argtypes, values, NULL) > 0;
	return *found ? sm_spi_getstr(0, 1) : NULL;
}

/*
 * sm_catalog_revision_amend_downgrade replaces the downgrade SQL and the
 * checksum of revision "id", keeping the old text in
 * schemamig.revision_amendment.
 */
void
sm_catalog_revision_amend_downgrade(const char *id, const char *downgrade_sql,
									const char *checksum)
{
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};

	values[0] = CStringGetTextDatum(id);
	if (downgrade_sql != NULL)
		values[1] = CStringGetTextDatum(downgrade_sql);
	else
	{
		values[1] = (Datum) 0;
		nulls[1] = 'n';
	}
	values[2] = CStringGetTextDatum(checksum);
	sm_spi_exec("INSERT INTO " SM_SCHEMA ".revision_amendment"
				" (revision, old_downgrade_sql, new_downgrade_sql, old_checksum, new_checksum)"
				" SELECT r.id, r.downgrade_sql, $2, r.checksum, $3 FROM " SM_SCHEMA ".revision r"
				" WHERE r.id OPERATOR(pg_catalog.=) $1",
				SPI_OK_INSERT, 3, argtypes, values, nulls);
	sm_spi_exec("UPDATE " SM_SCHEMA ".revision SET downgrade_sql = $2, checksum = $3"
				" WHERE id OPERATOR(pg_catalog.=) $1",
				SPI_OK_UPDATE, 3, argtypes, values, nulls);
}
