/*-------------------------------------------------------------------------
 *
 * cmd_backfill.c
 *	  pg_schemamig backfill TABLE --set SET [--where COND] [--batch-size N]
 *	  [--pause INTERVAL]: runs CALL schemamig.backfill(...) in autocommit,
 *	  printing the server's progress NOTICE per batch as it arrives.
 *
 * The server does the work (one transaction per batch, resumable); running
 * the same command again after an interruption continues the job, and a
 * finished job says so.
 *
 * src/client/cmd_backfill.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

/* The backfill's NOTICEs are its progress lines; other messages as usual. */
static void
backfill_notice(void *arg, const PGresult *res)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);

	(void) arg;
	if (sev && strcmp(sev, "WARNING") == 0)
		pg_log_warning("%s", msg ? msg : "");
	else if (sev && strcmp(sev, "NOTICE") == 0)
		log_info("%s", msg ? msg : "");
	else
	{
		log_verbose("server: %s", msg ? msg : "");
		return;
	}
	if (detail && (opts.verbose || strncmp(msg ? msg : "", "backfill", 8) != 0))
		pg_log_error_detail("%s", detail);
	if (hint)
		pg_log_error_hint("%s", hint);
}

/* a positive integer, or -1 */
static int
parse_positive(const char *s)
{
	char	   *end;
	long		v;

	if (s == NULL || !isdigit((unsigned char) s[0]))
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v <= 0 || v > 2147483647L)
		return -1;
	return (int) v;
}

/* checks the options before anything connects; EXIT_OK or EXIT_USAGE */
int
cmd_backfill_check(void)
{
	if (opts.set_clause == NULL || opts.set_clause[0] == '\0')
	{
		pg_log_error("backfill needs --set, the SET list of the UPDATE (e.g. --set \"total = price * qty\")");
		return EXIT_USAGE;
	}
	if (opts.batch_size != NULL && parse_positive(opts.batch_size) < 0)
	{
		pg_log_error("invalid --batch-size \"%s\" (a positive number of keys)", opts.batch_size);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * Runs the backfill of opts.args[0].  The statement is sent with the simple
 * query protocol, in autocommit, so that the procedure may commit.
 */
int
cmd_backfill_run(PGconn *conn)
{
	char	   *table = PQescapeLiteral(conn, opts.args[0], strlen(opts.args[0]));
	char	   *set = PQescapeLiteral(conn, opts.set_clause, strlen(opts.set_clause));
	char	   *where = opts.where_clause ?
		PQescapeLiteral(conn, opts.where_clause, strlen(opts.where_clause)) : NULL;
	char	   *pause = opts.pause ? PQescapeLiteral(conn, opts.pause, strlen(opts.pause)) : NULL;
	int			batch = opts.batch_size ? parse_positive(opts.batch_size) : 10000;
	PQnoticeReceiver prev;
	PGresult   *res;
	char	   *sql;
	int			rc = EXIT_OK;

	if (table == NULL || set == NULL || (opts.where_clause && where == NULL) ||
		(opts.pause && pause == NULL))
	{
		pg_log_error("could not quote the arguments: %s", PQerrorMessage(conn));
		rc = EXIT_MIGRATION;
		goto done;
	}
	sql = psprintf("CALL schemamig.backfill(%s::pg_catalog.regclass, %s, %s, %d, %s::pg_catalog.interval)",
					table, set, where ? where : "NULL", batch, pause ? pause : "'0'");
	log_verbose("%s", sql);
	prev = PQsetNoticeReceiver(conn, backfill_notice, NULL);
	res = PQexec(conn, sql);
	free(sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		db_report_error(res, conn, "backfill failed", NULL);
		pg_log_error_detail("The batches committed before the error stay done; run the same command again to continue.");
		rc = EXIT_MIGRATION;
	}
	PQclear(res);
	PQsetNoticeReceiver(conn, prev, NULL);
done:
	PQfreemem(table);
	PQfreemem(set);
	if (where)
		PQfreemem(where);
	if (pause)
		PQfreemem(pause);
	return rc;
}
