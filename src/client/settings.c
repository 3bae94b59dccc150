/*-------------------------------------------------------------------------
 *
 * settings.c
 *	  The migration settings of the client: lock_timeout, statement_timeout
 *	  and lock_retries, from pg_schemamig.conf or from the flags of the same
 *	  name (--lock-timeout=2s ...; a flag wins over the file).  They are
 *	  checked when read (a bad value is a usage error, exit 2) and set on the
 *	  connection as the extension's settings schemamig.lock_timeout,
 *	  schemamig.statement_timeout and schemamig.lock_retries, which the
 *	  server applies to each revision (lock_retries: upgrade --each).
 *
 * src/client/settings.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

typedef struct Setting
{
	const char *name;			/* in the configuration file */
	const char *guc;			/* on the server */
	bool		is_time;		/* a duration (ms by default) or a count */
	char	   *value;
	bool		from_flag;
} Setting;

static Setting settings[] = {
	{"lock_timeout", "schemamig.lock_timeout", true, NULL, false},
	{"statement_timeout", "schemamig.statement_timeout", true, NULL, false},
	{"lock_retries", "schemamig.lock_retries", false, NULL, false},
	{NULL, NULL, false, NULL, false}
};

/* The names, for "known: ..." messages. */
const char *
settings_names(void)
{
	return "lock_timeout, statement_timeout, lock_retries";
}

/*
 * Checks a value: a duration is a whole number with an optional unit (ms,
 * s, min, h, d; ms when absent), as PostgreSQL's own time settings take it;
 * lock_retries a whole number from 0 to 100.
 */
static bool
valid_value(const Setting *s, const char *v)
{
	const char *p = v;
	long		n;

	if (!isdigit((unsigned char) *p))
		return false;
	n = strtol(p, (char **) &p, 10);
	if (n < 0 || n > 2147483647L)
		return false;
	if (!s->is_time)
		return *p == '\0' && n <= 100;
	while (*p == ' ')
		p++;
	return *p == '\0' || strcmp(p, "ms") == 0 || strcmp(p, "s") == 0 ||
		strcmp(p, "min") == 0 || strcmp(p, "h") == 0 || strcmp(p, "d") == 0;
}

/*
 * Sets "name" (lock_timeout, statement_timeout, lock_retries) to "value".
 * A value from the configuration file ("from_flag" false) never replaces a
 * flag's.  Returns 1 when set, 0 when "name" is not a setting, -1 after a
 * message about a bad value ("where" prefixes it: "file:line" or a flag).
 */
int
settings_set(const char *name, const char *value, bool from_flag, const char *where)
{
	Setting    *s;

	for (s = settings; s->name; s++)
		if (strcmp(s->name, name) == 0)
			break;
	if (s->name == NULL)
		return 0;
	if (!valid_value(s, value))
	{
		if (s->is_time)
			pg_log_error("%s: invalid value \"%s\" for %s (a whole number with an optional unit: ms, s, min, h, d)",
					  where, value, name);
		else
			pg_log_error("%s: invalid value \"%s\" for %s (a whole number from 0 to 100)",
					  where, value, name);
		return -1;
	}
	if (s->from_flag && !from_flag)
		return 1;
	free(s->value);
	s->value = pg_strdup(value);
	s->from_flag = from_flag;
	return 1;
}

/*
 * Sets the chosen settings on a new connection, in one query.  Returns
 * false after an error message (the server refused a value).
 */
bool
settings_apply(PGconn *conn)
{
	PQExpBufferData sql;
	const char *params[6];
	int			n = 0;
	Setting    *s;
	bool		ok;

	initPQExpBuffer(&sql);
	appendPQExpBufferStr(&sql, "SELECT 1");
	for (s = settings; s->name; s++)
	{
		if (s->value == NULL)
			continue;
		params[n] = s->guc;
		params[n + 1] = s->value;
		appendPQExpBuffer(&sql, ", pg_catalog.set_config($%d, $%d, false)", n + 1, n + 2);
		log_verbose("%s = %s", s->guc, s->value);
		n += 2;
	}
	if (n == 0)
	{
		termPQExpBuffer(&sql);
		return true;
	}
	ok = db_command_params(conn, sql.data, n, params, "applying the settings");
	termPQExpBuffer(&sql);
	return ok;
}
