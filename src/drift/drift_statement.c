/*-------------------------------------------------------------------------
 *
 * drift_statement.c
 *	  The statement text a drift row stores: the one command that did the
 *	  DDL (not the whole client message it came in), with the secrets of
 *	  commands that carry them redacted.
 *
 * A client that sends a file as one multi-statement query (psql -c, most
 * migration tools and drivers) would otherwise have the whole file stored
 * once per DDL command in it.  The ProcessUtility hook (planstep.c) records
 * where the running utility command starts and ends in its query string
 * (sm_current_utility); when the library was loaded by the very command
 * being logged, the hook was not yet in place, and the command is found by
 * parsing the client's query and matching the command tag.
 *
 * Redaction replaces every string literal of a command that can carry a
 * password or a connection string (user mappings, foreign servers,
 * subscriptions, roles) by '***'.
 *
 * src/drift/drift_statement.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "parser/scansup.h"
#include "parser/scanner.h"
/* gram.h (token codes) must follow scanner.h */
#include "parser/gram.h"
#include "tcop/tcopprot.h"
#include "tcop/utility.h"

#include "drift.h"
#include "pg_schemamig.h"

/* commands whose literals can hold a password or a connection string */
static bool
carries_secrets(Node *stmt)
{
	if (stmt == NULL)
		return false;
	switch (nodeTag(stmt))
	{
		case T_CreateUserMappingStmt:
		case T_AlterUserMappingStmt:
		case T_CreateForeignServerStmt:
		case T_AlterForeignServerStmt:
		case T_CreateFdwStmt:
		case T_AlterFdwStmt:
		case T_CreateSubscriptionStmt:
		case T_AlterSubscriptionStmt:
		case T_CreateRoleStmt:
		case T_AlterRoleStmt:
		case T_AlterRoleSetStmt:
			return true;
		default:
			return false;
	}
}

/*
 * redact_literals returns "sql" with each string constant replaced by
 * '***'.  The scanner finds them (it knows quoting, E'' and dollar quotes);
 * a literal reaches up to the blanks before the next token.
 */
static char *
redact_literals(const char *sql)
{
	core_yy_extra_type yyextra;
	core_yyscan_t scanner;
	core_YYSTYPE yylval;
	YYLTYPE		yylloc;
	StringInfoData buf;
	int			copied = 0;
	int			pending = -1;	/* start of a literal awaiting its end */
	int			tok;

	initStringInfo(&buf);
	scanner = scanner_init(sql, &yyextra, &ScanKeywords, ScanKeywordTokens);
	yyextra.standard_conforming_strings = true;
	yyextra.escape_string_warning = false;
	PG_TRY();
	{
		for (;;)
		{
			tok = core_yylex(&yylval, &yylloc, scanner);
			if (pending >= 0)
			{
				int			end = tok == 0 ? (int) strlen(sql) : yylloc;

				/* the blanks before the next token stay */
				while (end > pending + 1 && scanner_isspace(sql[end - 1]))
					end--;
				appendBinaryStringInfo(&buf, sql + copied, pending - copied);
				appendStringInfoString(&buf, "'***'");
				copied = end;
				pending = -1;
			}
			if (tok == 0)
				break;
			if (tok == SCONST || tok == USCONST)
				pending = yylloc;
		}
	}
	PG_CATCH();
	{
		/* unscannable text: store nothing of it rather than a secret */
		FlushErrorState();
		scanner_finish(scanner);
		return pstrdup("(statement not shown: it could hold a secret)");
	}
	PG_END_TRY();
	scanner_finish(scanner);
	appendStringInfoString(&buf, sql + copied);
	return buf.data;
}

/* "len" bytes of "query" from "loc", without surrounding blanks */
static char *
statement_slice(const char *query, int loc, int len)
{
	int			total = strlen(query);

	if (loc < 0 || loc > total)
	{
		loc = 0;
		len = total;
	}
	if (len <= 0 || loc + len > total)
		len = total - loc;
	while (len > 0 && scanner_isspace(query[loc]))
	{
		loc++;
		len--;
	}
	while (len > 0 && (scanner_isspace(query[loc + len - 1]) || query[loc + len - 1] == ';'))
		len--;
	return pnstrdup(query + loc, len);
}

/*
 * from_client_query: the command of the client's query whose command tag is
 * "tag" (the first such), with its parse tree in *stmt; the whole query
 * when it has one command or none matches.
 */
static char *
from_client_query(const char *tag, Node **stmt)
{
	List	   *raw = NIL;
	ListCell   *lc;
	MemoryContext cxt = CurrentMemoryContext;

	*stmt = NULL;
	if (debug_query_string == NULL)
		return NULL;
	PG_TRY();
	{
		raw = raw_parser(debug_query_string, RAW_PARSE_DEFAULT);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		raw = NIL;
	}
	PG_END_TRY();
	foreach(lc, raw)
	{
		RawStmt    *rs = lfirst_node(RawStmt, lc);

		if (list_length(raw) == 1 ||
			(tag != NULL && strcmp(GetCommandTagName(CreateCommandTag(rs->stmt)), tag) == 0))
		{
			*stmt = rs->stmt;
			return statement_slice(debug_query_string, rs->stmt_location, rs->stmt_len);
		}
	}
	/* a command run by a function: the client's statement is what there is */
	if (list_length(raw) > 1)
		return NULL;
	return pstrdup(debug_query_string);
}

/*
 * sm_drift_statement: the text to store for the DDL command now running,
 * whose command tag is "tag" (NULL if unknown), or NULL.
 */
char *
sm_drift_statement(const char *tag)
{
	char	   *text;
	Node	   *stmt;

	if (sm_current_utility.query != NULL)
	{
		text = statement_slice(sm_current_utility.query,
							   sm_current_utility.location,
							   sm_current_utility.length);
		stmt = sm_current_utility.stmt;
	}
	else
		text = from_client_query(tag, &stmt);
	if (text != NULL && carries_secrets(stmt))
		text = redact_literals(text);
	return text;
}
