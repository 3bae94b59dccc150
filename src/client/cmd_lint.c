/*-------------------------------------------------------------------------
 *
 * cmd_lint.c
 *	  "lint FILE...": schemamig.lint() on each migration file's upgrade
 *	  section, and on its downgrade section with schemamig.lint_downgrade(),
 *	  which knows what the same revision's upgrade created (dropping a table
 *	  it created or a column it added is what a downgrade is for, not a
 *	  finding); a file that is not a migration file is linted as plain SQL.
 *	  Each finding prints as "file:line: severity: rule: message" (info
 *	  findings only with --verbose); --json prints one array of
 *	  {file, line, section, severity, rule, message, hint}.  Exit 1 on an
 *	  error finding, or on a warning with --fail-on warning.
 *
 * src/client/cmd_lint.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"

typedef struct LintCounts
{
	int			errors;
	int			warnings;
	int			n;				/* JSON objects written */
	bool		syntax_error;	/* a syntax-error finding in this text */
	PQExpBufferData json;
} LintCounts;

/*
 * Lints one SQL text of "path" (rf: the migration file, or NULL for plain
 * SQL); "upgrade_sql" non-NULL lints a downgrade knowing that upgrade.
 * Returns false after a database error.
 */
static bool
lint_text(PGconn *conn, const char *path, const RevFile *rf, bool upgrade,
		  const char *sql, const char *upgrade_sql, bool have_downgrade_lint, LintCounts *c)
{
	const char *params[2] = {sql, upgrade_sql};
	PGresult   *res;
	int			i;

	if (!upgrade && have_downgrade_lint)
		res = db_exec(conn, "SELECT severity, rule, location, message, hint FROM schemamig.lint_downgrade($1, $2)",
					  2, params, "running schemamig.lint_downgrade()");
	else
		res = db_exec(conn, "SELECT severity, rule, location, message, hint FROM schemamig.lint($1)",
					  1, params, "running schemamig.lint()");
	if (res == NULL)
		return false;
	for (i = 0; i < PQntuples(res); i++)
	{
		const char *sev = PQgetvalue(res, i, 0);
		const char *loc = PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2);
		const char *hint = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
		int			line = 1;
		char		linebuf[16];

		if (rf != NULL)
			line = revfile_line_of(rf, upgrade, loc ? (size_t) atol(loc) : 0);
		else if (loc != NULL)
		{
			long		k,
						off = atol(loc);

			for (k = 0; k < off && sql[k]; k++)
				if (sql[k] == '\n')
					line++;
		}
		if (strcmp(PQgetvalue(res, i, 1), "syntax-error") == 0)
			c->syntax_error = true;
		if (strcmp(sev, "error") == 0)
			c->errors++;
		else if (strcmp(sev, "warning") == 0)
			c->warnings++;
		if (opts.json)
		{
			snprintf(linebuf, sizeof(linebuf), "%d", line);
			appendPQExpBufferStr(&c->json, c->n++ > 0 ? ",{" : "{");
			json_kv(&c->json, true, "file", path);
			appendPQExpBuffer(&c->json, ",\"line\":%s", linebuf);
			json_kv(&c->json, false, "section", rf == NULL ? "sql" : upgrade ? "upgrade" : "downgrade");
			json_kv(&c->json, false, "severity", sev);
			json_kv(&c->json, false, "rule", PQgetvalue(res, i, 1));
			json_kv(&c->json, false, "message", PQgetvalue(res, i, 3));
			json_kv(&c->json, false, "hint", hint);
			appendPQExpBufferChar(&c->json, '}');
			continue;
		}
		if (strcmp(sev, "info") == 0 && !opts.verbose)
			continue;
		printf("%s:%d: %s: %s: %s\n", path, line, sev, PQgetvalue(res, i, 1), PQgetvalue(res, i, 3));
		if (hint)
			printf("    hint: %s\n", hint);
	}
	PQclear(res);
	return true;
}

int
cmd_lint(PGconn *conn)
{
	LintCounts	c;
	int			i;
	bool		ok = true;
	bool		have_downgrade_lint;

	if (!db_has_function(conn, "lint"))
	{
		pg_log_error("this database's pg_schemamig has no schemamig.lint()");
		pg_log_error_hint("Install a pg_schemamig release that provides lint.");
		return EXIT_MIGRATION;
	}
	have_downgrade_lint = db_has_function(conn, "lint_downgrade");
	memset(&c, 0, sizeof(c));
	initPQExpBuffer(&c.json);
	for (i = 0; ok && i < opts.nargs; i++)
	{
		const char *path = opts.args[i];
		char	   *err = NULL;
		RevFile    *rf = revfile_read(path, &err);

		if (rf == NULL)
		{
			/* not a migration file: lint it as plain SQL */
			char	   *buf = read_whole_file(path);

			if (buf == NULL || strstr(buf, "-- +upgrade") != NULL)
			{
				/* unreadable, or meant as a migration file: its error stands */
				pg_log_error("%s", err ? err : "out of memory");
				free(err);
				free(buf);
				ok = false;
				break;
			}
			free(err);
			ok = lint_text(conn, path, NULL, true, buf, NULL, false, &c);
			free(buf);
			continue;
		}
		c.syntax_error = false;
		ok = lint_text(conn, path, rf, true, rf->upgrade_sql, NULL, false, &c);
		/* what the upgrade creates is known only when it parses */
		if (ok && rf->downgrade_sql && *rf->downgrade_sql)
			ok = lint_text(conn, path, rf, false, rf->downgrade_sql, rf->upgrade_sql,
						   have_downgrade_lint && !c.syntax_error, &c);
		revfile_free(rf);
	}
	if (ok && opts.json)
		printf("[%s]\n", c.json.data);
	termPQExpBuffer(&c.json);
	if (!ok)
		return EXIT_MIGRATION;
	if (c.errors > 0 || (opts.fail_on && strcmp(opts.fail_on, "warning") == 0 && c.warnings > 0))
		return EXIT_MIGRATION;
	return EXIT_OK;
}
