/*-------------------------------------------------------------------------
 *
 * conn.c
 *	  Connecting (-d, DATABASE_URL, PG* variables), checking that the
 *	  server's pg_schemamig matches this client, running queries, and
 *	  reporting server errors with the revision, file and line they come
 *	  from, the SQLSTATE and the hint.
 *
 * src/client/conn.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "client.h"

/* Progress notices received (db_progress_lines). */
static int	progress_lines = 0;

/* How many progress lines the server has sent so far. */
int
db_progress_lines(void)
{
	return progress_lines;
}

/* The graph lint warnings are mapped against (db_set_notice_graph). */
static const DbGraph *notice_graph = NULL;

void
db_set_notice_graph(const DbGraph *g)
{
	notice_graph = g;
}

/*
 * An upgrade-time lint warning, 'revision "ID", statement N: message' with
 * the finding's byte offset in the upgrade SQL at the end of its detail
 * ("Location: offset K of the upgrade SQL."): printed as "file:line: warning: message" when the revision's file is
 * known.  Returns false when the warning is not one of these.
 */
static bool
lint_warning(const char *msg, const char *detail, const char *hint)
{
	const char *key = "revision \"";
	const char *p,
			   *q,
			   *off;
	char	   *id;
	const DbRev *r;
	int			line;

	if (notice_graph == NULL || strncmp(msg, key, strlen(key)) != 0 || detail == NULL ||
		(off = strstr(detail, " Location: offset ")) == NULL)
		return false;
	p = msg + strlen(key);
	if ((q = strchr(p, '"')) == NULL || strncmp(q, "\", statement ", 13) != 0 ||
		(q = strchr(q + 13, ':')) == NULL)
		return false;
	id = psprintf("%.*s", (int) (strchr(p, '"') - p), p);
	r = dbgraph_find(notice_graph, id);
	free(id);
	if (r == NULL || r->file == NULL)
		return false;
	line = revfile_line_of(r->file, true, (size_t) atol(off + strlen(" Location: offset ")));
	fflush(stdout);
	fprintf(stderr, "%s:%d: warning:%s\n", r->file->path, line, q + 1);
	fprintf(stderr, "pg_schemamig: detail: %.*s\n", (int) (off - detail), detail);
	if (hint)
		pg_log_error_hint("%s", hint);
	return true;
}

/*
 * Server messages: progress notices (SM_PROGRESS_SQLSTATE: a revision
 * starts) print as they arrive; warnings always go to stderr, notices only with
 * --verbose (the client prints its own progress lines).
 */
static void
notice_receiver(void *arg, const PGresult *res)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	bool		warning = sev && strcmp(sev, "WARNING") == 0;

	(void) arg;
	if (state && strcmp(state, SM_PROGRESS_SQLSTATE) == 0 && msg)
	{
		/* a step starts (or waits for a lock): the progress line, now */
		progress_lines++;
		log_info("%s", msg);
		return;
	}
	if (warning && msg && lint_warning(msg, detail, hint))
		return;
	if (!warning && !opts.verbose)
		return;
	if (warning)
		pg_log_warning("%s", msg ? msg : "");
	else
		log_verbose("server: %s", msg ? msg : "");
	if (detail)
		pg_log_error_detail("%s", detail);
	if (hint)
		pg_log_error_hint("%s", hint);
}

/*
 * Checks that the database has the extension and that its library and SQL
 * versions are this client's.  Returns false after an error message.
 */
static bool
check_versions(PGconn *conn)
{
	PGresult   *res;
	const char *state;
	const char *libversion,
			   *extversion;
	bool		ok = true;

	/* one round trip; a missing schema or function means no extension */
	res = PQexec(conn,
				 "SELECT schemamig.library_version(), "
				 "(SELECT e.extversion FROM pg_catalog.pg_extension e "
				 " WHERE e.extname OPERATOR(pg_catalog.=) 'pg_schemamig')");
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		if (state && (strcmp(state, "3F000") == 0 || strcmp(state, "42883") == 0))
		{
			pg_log_error("extension \"pg_schemamig\" is not installed in database \"%s\"", PQdb(conn));
			pg_log_error_hint("Run CREATE EXTENSION pg_schemamig; in that database as a superuser.");
		}
		else
			db_report_error(res, conn, "checking the pg_schemamig version", NULL);
		PQclear(res);
		return false;
	}
	libversion = PQgetvalue(res, 0, 0);
	extversion = PQgetvalue(res, 0, 1);
	if (strcmp(libversion, PG_SCHEMAMIG_VERSION) != 0)
	{
		pg_log_error("server library pg_schemamig %s does not match this client (%s)",
				  libversion, PG_SCHEMAMIG_VERSION);
		pg_log_error_hint("Install the client of the same release as the server's extension.");
		ok = false;
	}
	else if (strcmp(extversion, PG_SCHEMAMIG_VERSION) != 0)
	{
		pg_log_error("extension pg_schemamig is at version %s in this database, but this client needs %s",
				  extversion, PG_SCHEMAMIG_VERSION);
		pg_log_error_hint("Run ALTER EXTENSION pg_schemamig UPDATE;");
		ok = false;
	}
	PQclear(res);
	return ok;
}

/* For Ctrl-C: cancels the running query (the server rolls it back). */
static PGcancel *volatile cancel_handle = NULL;

/*
 * SIGINT/SIGTERM: asks the server to cancel the running statement, so that
 * its transaction rolls back and the client reports the error; a second
 * signal ends the client at once.
 */
static void
handle_cancel_signal(int sig)
{
	char		errbuf[256];
	int			save_errno = errno;

	if (cancel_handle != NULL)
		(void) PQcancel(cancel_handle, errbuf, sizeof(errbuf));
	signal(sig, SIG_DFL);
	errno = save_errno;
}

/* Where the connection being opened stands (one connection per run). */
static PostgresPollingStatusType poll_status = PGRES_POLLING_FAILED;

/*
 * Starts connecting without waiting: the server starts its backend while
 * the client reads the migration files (db_connect_step, db_connect_finish).
 * Returns NULL only when out of memory.
 */
PGconn *
db_connect_start(void)
{
	const char *conninfo = opts.dbconn;
	const char *keywords[3] = {"dbname", "fallback_application_name", NULL};
	const char *values[3];
	PGconn	   *conn;

	if (conninfo == NULL)
		conninfo = getenv("DATABASE_URL");
	if (conninfo != NULL && *conninfo == '\0')
		conninfo = NULL;
	values[0] = conninfo;
	values[1] = "pg_schemamig";
	values[2] = NULL;
	conn = PQconnectStartParams(keywords, values, 1);
	if (conn == NULL)
	{
		pg_log_error("out of memory");
		return NULL;
	}
	poll_status = PQstatus(conn) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
	return conn;
}

/* Advances a connection being opened, if its socket is ready; never waits. */
void
db_connect_step(void *arg)
{
	PGconn	   *conn = arg;
	struct pollfd p;

	if (conn == NULL || (poll_status != PGRES_POLLING_READING &&
						 poll_status != PGRES_POLLING_WRITING))
		return;
	p.fd = PQsocket(conn);
	p.events = poll_status == PGRES_POLLING_READING ? POLLIN : POLLOUT;
	p.revents = 0;
	if (p.fd >= 0 && poll(&p, 1, 0) > 0)
		poll_status = PQconnectPoll(conn);
}

/*
 * Waits for the connection to be open, then checks the server's
 * pg_schemamig.  Returns NULL (connection closed) after an error message.
 */
/*
 * The connect_timeout of a connection in progress, in milliseconds (-1: no
 * limit), as libpq's blocking connect would apply it (at least 2 s).
 */
static int
connect_timeout_ms(PGconn *conn)
{
	PQconninfoOption *info = PQconninfo(conn);
	PQconninfoOption *o;
	int			ms = -1;

	for (o = info; o && o->keyword; o++)
		if (strcmp(o->keyword, "connect_timeout") == 0 && o->val && atoi(o->val) > 0)
			ms = (atoi(o->val) < 2 ? 2 : atoi(o->val)) * 1000;
	PQconninfoFree(info);
	return ms;
}

PGconn *
db_connect_finish(PGconn *conn)
{
	int			limit,
				left;
	struct timespec start;
	bool		timed_out = false;

	if (conn == NULL)
		return NULL;
	limit = connect_timeout_ms(conn);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (poll_status == PGRES_POLLING_READING || poll_status == PGRES_POLLING_WRITING)
	{
		struct pollfd p;
		struct timespec now;
		int			r;

		/* one deadline for the whole connection, counted from here */
		left = -1;
		if (limit >= 0)
		{
			clock_gettime(CLOCK_MONOTONIC, &now);
			left = limit - (int) ((now.tv_sec - start.tv_sec) * 1000 +
								  (now.tv_nsec - start.tv_nsec) / 1000000);
			if (left < 0)
				left = 0;
		}
		p.fd = PQsocket(conn);
		p.events = poll_status == PGRES_POLLING_READING ? POLLIN : POLLOUT;
		p.revents = 0;
		if (p.fd < 0)
			break;
		r = poll(&p, 1, left);
		if (r < 0 && errno != EINTR)
			break;
		if (r == 0)
		{
			timed_out = true;
			break;
		}
		poll_status = PQconnectPoll(conn);
	}
	if (timed_out)
	{
		pg_log_error("could not connect to the database: timeout expired");
		pg_log_error_hint("The server did not answer within connect_timeout.");
		PQfinish(conn);
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK)
	{
		char	   *msg = pg_strdup(PQerrorMessage(conn));
		size_t		len = strlen(msg);

		while (len > 0 && msg[len - 1] == '\n')
			msg[--len] = '\0';
		pg_log_error("could not connect to the database: %s", msg);
		pg_log_error_hint("Name the database with -d CONNINFO, DATABASE_URL or the PG* variables.");
		free(msg);
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeReceiver(conn, notice_receiver, NULL);
	cancel_handle = PQgetCancel(conn);
	signal(SIGINT, handle_cancel_signal);
	signal(SIGTERM, handle_cancel_signal);
	log_verbose("connected to database \"%s\" as \"%s\"", PQdb(conn), PQuser(conn));
	if (!check_versions(conn) || !settings_apply(conn))
	{
		db_disconnect(conn);
		return NULL;
	}
	return conn;
}

void
db_disconnect(PGconn *conn)
{
	PGcancel   *c = cancel_handle;

	cancel_handle = NULL;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (c)
		PQfreeCancel(c);
	if (conn)
		PQfinish(conn);
}

/*
 * Runs a query with text parameters.  Returns the result (tuples or
 * command), or NULL after reporting the error as "what".
 */
PGresult *
db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params,
		const char *what)
{
	PGresult   *res;

	res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (res == NULL || (PQresultStatus(res) != PGRES_TUPLES_OK &&
						PQresultStatus(res) != PGRES_COMMAND_OK))
	{
		db_report_error(res, conn, what, NULL);
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Runs a command with text parameters; false after reporting an error. */
bool
db_command_params(PGconn *conn, const char *sql, int nparams,
				  const char *const *params, const char *what)
{
	PGresult   *res = db_exec(conn, sql, nparams, params, what);

	PQclear(res);
	return res != NULL;
}

/* Runs a command without parameters; false after reporting an error. */
bool
db_command(PGconn *conn, const char *sql, const char *what)
{
	PGresult   *res = db_exec(conn, sql, 0, NULL, what);

	PQclear(res);
	return res != NULL;
}

/*
 * Runs a one-row, one-column query without parameters and returns its value
 * (malloc'd; "" for NULL), or NULL after reporting the error as "what".
 */
char *
db_value(PGconn *conn, const char *sql, const char *what)
{
	PGresult   *res = db_exec(conn, sql, 0, NULL, what);
	char	   *s;

	if (res == NULL)
		return NULL;
	s = pg_strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return s;
}

/* True when schemamig.<name>() exists on this server. */
bool
db_has_function(PGconn *conn, const char *name)
{
	const char *params[1] = {name};
	PGresult   *res;
	bool		found;

	res = db_exec(conn,
				  "SELECT 1 FROM pg_catalog.pg_proc p "
				  "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace "
				  "WHERE n.nspname OPERATOR(pg_catalog.=) 'schemamig' "
				  "AND p.proname OPERATOR(pg_catalog.=) $1",
				  1, params, "looking up a function");
	if (res == NULL)
		return false;
	found = PQntuples(res) > 0;
	PQclear(res);
	return found;
}

/*
 * The revision an error comes from, taken from the server's context line
 * ("while applying revision abc123 ...").  Returns a malloc'd id or NULL.
 */
static char *
revision_from_context(const char *context)
{
	const char *key = SM_APPLYING_CONTEXT;
	const char *s;
	size_t		n = 0;

	if (context == NULL || (s = strstr(context, key)) == NULL)
		return NULL;
	s += strlen(key);
	if (*s == '"')
		s++;
	while (sm_name_char(s[n]))
		n++;
	if (n == 0)
		return NULL;
	return psprintf("%.*s", (int) n, s);
}

/*
 * The file line of an error inside a revision: find the failing statement
 * (the server's internal query) in the file's sections and add the error
 * position.  Returns 0 when unknown.
 */
int
revision_error_line(const RevFile *rf, const char *stmt, const char *position)
{
	int			pass;

	if (rf == NULL || stmt == NULL || *stmt == '\0')
		return 0;
	for (pass = 0; pass < 2; pass++)
	{
		const char *sql = pass == 0 ? rf->upgrade_sql : rf->downgrade_sql;
		const char *at;
		size_t		off;

		if (sql == NULL || (at = strstr(sql, stmt)) == NULL)
			continue;
		off = at - sql;
		if (position != NULL && atoi(position) > 0)
		{
			/* the position counts characters; close enough for ASCII SQL */
			off += atoi(position) - 1;
		}
		return revfile_line_of(rf, pass == 0, off);
	}
	return 0;
}

/*
 * The file line of the statement named by a "SQL statement "..."" context
 * line (SPI's context for errors without a position).  The statement may
 * hold quotes and newlines, so each closing-quote candidate is tried until
 * the text is found in the revision's SQL.  Returns 0 when unknown.
 */
static int
context_statement_line(const RevFile *rf, const char *context)
{
	const char *key = "SQL statement \"";
	const char *start,
			   *q;

	if (context == NULL || (start = strstr(context, key)) == NULL)
		return 0;
	start += strlen(key);
	for (q = strchr(start, '"'); q != NULL; q = strchr(q + 1, '"'))
	{
		char	   *stmt;
		int			line;

		if (q[1] != '\n' && q[1] != '\0')
			continue;
		stmt = psprintf("%.*s", (int) (q - start), start);
		line = revision_error_line(rf, stmt, NULL);
		free(stmt);
		if (line > 0)
			return line;
	}
	return 0;
}

/*
 * Reports a failed query: the error line names what was being done, the
 * revision and its file (and line, when the failing statement is found in
 * it), then the server's message and SQLSTATE; detail and hint follow, and
 * the server's context with --verbose.
 */
void
db_report_error(const PGresult *res, PGconn *conn, const char *what,
				const DbGraph *g)
{
	const char *msg,
			   *state,
			   *detail,
			   *hint,
			   *context,
			   *iquery,
			   *ipos;
	char	   *rev;
	char	   *where = NULL;

	if (res == NULL)
	{
		pg_log_error("%s: %s", what, PQerrorMessage(conn));
		return;
	}
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	context = PQresultErrorField(res, PG_DIAG_CONTEXT);
	iquery = PQresultErrorField(res, PG_DIAG_INTERNAL_QUERY);
	ipos = PQresultErrorField(res, PG_DIAG_INTERNAL_POSITION);

	rev = g ? revision_from_context(context) : NULL;
	if (rev != NULL)
	{
		DbRev	   *r = dbgraph_find(g, rev);

		if (r != NULL && r->file != NULL)
		{
			int			line = revision_error_line(r->file, iquery, ipos);

			if (line == 0)
				line = context_statement_line(r->file, context);

			if (line > 0)
				where = psprintf(" in revision %s (%s:%d)", rev, r->file->path, line);
			else
				where = psprintf(" in revision %s (%s)", rev, r->file->path);
		}
		else
			where = psprintf(" in revision %s", rev);
	}
	if (msg == NULL)
	{
		char	   *m = pg_strdup(PQresultErrorMessage(res));
		size_t		len = strlen(m);

		while (len > 0 && m[len - 1] == '\n')
			m[--len] = '\0';
		pg_log_error("%s%s: %s", what, where ? where : "", m);
		free(m);
	}
	else
		pg_log_error("%s%s: %s (SQLSTATE %s)", what, where ? where : "", msg,
				  state ? state : "?????");
	if (detail)
		pg_log_error_detail("%s", detail);
	if (hint)
		pg_log_error_hint("%s", hint);
	if (context && opts.verbose)
		log_verbose("context: %s", context);
	free(rev);
	free(where);
}

/*
 * db_print_json runs a query of one parameter whose single row is a JSON
 * document and a count (--json output), prints the document and returns
 * the count; -1 after reporting an error as "what".
 */
int
db_print_json(PGconn *conn, const char *sql, const char *param, const char *what)
{
	const char *params[1] = {param};
	PGresult   *res = db_exec(conn, sql, 1, params, what);
	int			count;

	if (res == NULL)
		return -1;
	printf("%s\n", PQgetvalue(res, 0, 0));
	count = atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	return count;
}

/*
 * array_literal_add appends one element (quoted; NULL for NULL) to a text[]
 * literal being built in "buf" (empty to begin with); array_literal_end
 * closes it ('{}' when nothing was added).
 */
void
array_literal_add(PQExpBuffer buf, const char *s)
{
	appendPQExpBufferChar(buf, buf->len == 0 ? '{' : ',');
	if (s == NULL)
	{
		appendPQExpBufferStr(buf, "NULL");
		return;
	}
	appendPQExpBufferChar(buf, '"');
	for (; *s; s++)
	{
		if (*s == '"' || *s == '\\')
			appendPQExpBufferChar(buf, '\\');
		appendPQExpBufferChar(buf, *s);
	}
	appendPQExpBufferChar(buf, '"');
}

void
array_literal_end(PQExpBuffer buf)
{
	if (buf->len == 0)
		appendPQExpBufferChar(buf, '{');
	appendPQExpBufferChar(buf, '}');
}

/* A text[] literal for a list of ids or labels ('{}' when empty; malloc'd). */
char *
array_literal(const RevFileList *list)
{
	PQExpBufferData buf;
	int			i;

	initPQExpBuffer(&buf);
	for (i = 0; i < list->n; i++)
		array_literal_add(&buf, list->items[i]);
	array_literal_end(&buf);
	return buf.data;
}
