/*-------------------------------------------------------------------------
 *
 * introspect.h
 *	  The canonical schema description (describe) and its fingerprint.
 *
 * The description is a jsonb document keyed by schema name and object name,
 * built from the catalogs with a handful of set-based queries per schema.
 * It names objects, never OIDs, and sorts everything, so two databases that
 * reached the same schema by different histories describe it identically.
 * docs/drift.md documents the model; autogenerate and verify reuse it.
 *
 * src/introspect/introspect.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_INTROSPECT_H
#define SM_INTROSPECT_H

#include "pg_schemamig.h"
#include "utils/guc.h"
#include "utils/jsonb.h"

/*
 * Tag of the description model and hash; stored with every snapshot so a
 * future change of the model is never mistaken for schema drift.
 */
#define SM_FINGERPRINT_ALGORITHM	"describe-v1-sha256"

/*
 * sm_describe returns the description of "schemas" (List of char *), or of
 * every non-system schema when "all" is true.  Schemas that do not exist are
 * left out.  Requires a connected SPI; the result is allocated in the
 * caller's memory context.
 */
extern Jsonb *sm_describe(List *schemas, bool all);
extern char *sm_describe_is_blocked(List *schemas, bool all);

/* Hex SHA-256 of a description's text form. */
extern char *sm_fingerprint_of(Jsonb *description);

/* sm_fingerprint_of(sm_describe(schemas, all)); requires a connected SPI. */
extern char *sm_fingerprint(List *schemas, bool all);

/*
 * The schemas named by schemamig.tracked_schemas (List of char *); *all is
 * set when the setting is empty (every non-system schema).
 */
extern List *sm_tracked_schema_list(bool *all);

/* check hook of schemamig.tracked_schemas: the list must parse */
extern bool sm_check_tracked_schemas(char **newval, void **extra, GucSource source);

#endif							/* SM_INTROSPECT_H */
