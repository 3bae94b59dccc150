/*-------------------------------------------------------------------------
 *
 * txequiv.c
 *	  Transactional equivalents of the statements that PostgreSQL refuses
 *	  inside a transaction block, for verify() and dry_run(), which run
 *	  everything inside one and roll it back.
 *
 * CREATE INDEX CONCURRENTLY builds the same index as CREATE INDEX; likewise
 * DROP INDEX, REINDEX and ALTER TABLE ... DETACH PARTITION without
 * CONCURRENTLY leave the same schema.  The keyword is found with the core
 * scanner (so that names, strings and comments never match) and cut out of
 * the statement's text.  VACUUM and REINDEX of a whole database change no
 * schema and are skipped.  Anything else that cannot run in a transaction
 * (CREATE DATABASE, ALTER SYSTEM, ...) has no equivalent: an error.
 *
 * src/verify/txequiv.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/defrem.h"
#include "lib/stringinfo.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "parser/scanner.h"
#include "parser/scansup.h"
#include "tcop/utility.h"

#include "verify.h"

/* One token of a statement: where it starts, where the next one starts. */
typedef struct Tok
{
	int			token;
	int			start;
	int			end;
	bool		concurrently;	/* the bare word CONCURRENTLY */
} Tok;

static bool
ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '$' || IS_HIGHBIT_SET(c);
}

/* tokenize: the tokens of "sql"; *n gets their count. */
static Tok *
tokenize(const char *sql, int *n)
{
	core_yyscan_t scanner;
	core_yy_extra_type yyextra;
	core_YYSTYPE yylval;
	YYLTYPE		yylloc;
	int			len = strlen(sql);
	int			cap = 16;
	Tok		   *toks = palloc(sizeof(Tok) * cap);
	int			i;

	*n = 0;
	scanner = scanner_init(sql, &yyextra, &ScanKeywords, ScanKeywordTokens);
	for (;;)
	{
		int			tok = core_yylex(&yylval, &yylloc, scanner);

		if (tok == 0)
			break;
		if (*n == cap)
			toks = repalloc(toks, sizeof(Tok) * (cap *= 2));
		toks[*n].token = tok;
		toks[*n].start = yylloc;
		toks[*n].concurrently = (len - yylloc >= 12 &&
								 pg_strncasecmp(sql + yylloc, "concurrently", 12) == 0 &&
								 !ident_char(sql[yylloc + 12]));
		(*n)++;
	}
	scanner_finish(scanner);
	for (i = 0; i < *n; i++)
		toks[i].end = (i + 1 < *n) ? toks[i + 1].start : len;
	return toks;
}

/* "sql" without the spans of the tokens marked in "drop". */
static char *
without_tokens(const char *sql, Tok *toks, int n, const bool *drop)
{
	StringInfoData buf;
	int			pos = 0;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
	{
		if (!drop[i])
			continue;
		appendBinaryStringInfo(&buf, sql + pos, toks[i].start - pos);
		pos = toks[i].end;
	}
	appendStringInfoString(&buf, sql + pos);
	return buf.data;
}

/*
 * without_concurrently removes one bare CONCURRENTLY: the first (CREATE
 * INDEX, DROP INDEX, REINDEX), or the last (DETACH PARTITION, where a name
 * may come first).  Inside a REINDEX option list "( ... )" the option's value
 * and a comma go too, and an emptied list goes whole.
 */
static char *
without_concurrently(const char *sql, bool last)
{
	int			n;
	Tok		   *toks = tokenize(sql, &n);
	bool	   *drop = palloc0(sizeof(bool) * (n + 1));
	int			k = -1;
	int			i;
	int			open = -1;

	for (i = 0; i < n; i++)
		if (toks[i].concurrently)
		{
			k = i;
			if (!last)
				break;
		}
	if (k < 0)
		return NULL;
	drop[k] = true;

	/* an option list: "REINDEX ( ... CONCURRENTLY [value] ... )" */
	for (i = k - 1; i >= 0; i--)
	{
		if (toks[i].token == '(')
		{
			open = i;
			break;
		}
		if (toks[i].token == ')')
			break;
	}
	if (open >= 0)
	{
		int			close;
		int			next = k + 1;
		bool		any = false;

		if (next < n && toks[next].token != ',' && toks[next].token != ')')
			drop[next++] = true;	/* the option's value */
		if (next < n && toks[next].token == ',')
			drop[next] = true;
		else if (k - 1 > open && toks[k - 1].token == ',')
			drop[k - 1] = true;
		for (close = open + 1; close < n && toks[close].token != ')'; close++)
			if (!drop[close])
				any = true;
		if (!any && close < n)
		{
			drop[open] = true;
			drop[close] = true;
		}
	}
	return without_tokens(sql, toks, n, drop);
}

const char *
sm_transactional_equivalent(const SmStatement *st, int stmt_no, char **note)
{
	List	   *raw = raw_parser(st->sql, RAW_PARSE_DEFAULT);
	Node	   *stmt;
	char	   *result = NULL;

	*note = NULL;
	if (list_length(raw) != 1)
		return NULL;
	stmt = linitial_node(RawStmt, raw)->stmt;
	switch (nodeTag(stmt))
	{
		case T_IndexStmt:
			if (((IndexStmt *) stmt)->concurrent)
			{
				result = without_concurrently(st->sql, false);
				*note = pstrdup("CREATE INDEX for CREATE INDEX CONCURRENTLY");
			}
			break;
		case T_DropStmt:
			if (((DropStmt *) stmt)->concurrent)
			{
				result = without_concurrently(st->sql, false);
				*note = pstrdup("DROP INDEX for DROP INDEX CONCURRENTLY");
			}
			break;
		case T_ReindexStmt:
			{
				ReindexStmt *rs = (ReindexStmt *) stmt;

				if (rs->kind == REINDEX_OBJECT_SYSTEM || rs->kind == REINDEX_OBJECT_DATABASE)
				{
					*note = pstrdup("REINDEX DATABASE skipped");
					return "";
				}
				if (st->nontransactional)
				{
					result = without_concurrently(st->sql, false);
					*note = pstrdup("REINDEX for REINDEX CONCURRENTLY");
				}
				break;
			}
		case T_AlterTableStmt:
			if (st->nontransactional)
			{
				result = without_concurrently(st->sql, true);
				*note = pstrdup("DETACH PARTITION for DETACH PARTITION CONCURRENTLY");
			}
			break;
		case T_VacuumStmt:
			if (((VacuumStmt *) stmt)->is_vacuumcmd)
			{
				*note = pstrdup("VACUUM skipped");
				return "";
			}
			break;
		default:
			break;
	}
	if (result == NULL && st->nontransactional)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s cannot run inside a transaction block and has no transactional equivalent",
						CreateCommandName(stmt)),
				 errdetail("Statement %d of the revision cannot be run and rolled back.", stmt_no)));
	return result;
}
