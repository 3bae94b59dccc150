/*-------------------------------------------------------------------------
 *
 * checksum.c
 *	  schemamig.checksum(): the revision checksum as SQL, for clients that
 *	  compare files with the catalog.
 *
 * The algorithm itself is shared with the client (src/common/checksum.c);
 * here the server's own scanner supplies the tokens.
 *
 * src/parse/checksum.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "pg_schemamig.h"

PG_FUNCTION_INFO_V1(schemamig_checksum);

/*
 * schemamig.checksum(upgrade_sql, downgrade_sql, transactional): the checksum
 * add_revision stores, for clients that compare files with the catalog.
 */
Datum
schemamig_checksum(PG_FUNCTION_ARGS)
{
	char	   *up;
	char	   *down;
	bool		transactional;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	up = text_to_cstring(PG_GETARG_TEXT_PP(0));
	down = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	transactional = PG_ARGISNULL(2) ? true : PG_GETARG_BOOL(2);

	PG_RETURN_TEXT_P(cstring_to_text(sm_checksum(up, down, transactional)));
}
