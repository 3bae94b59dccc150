/*-------------------------------------------------------------------------
 *
 * sqltoken.h
 *	  SQL as PostgreSQL's scanner sees it, token by token, in the server
 *	  (the real scanner: src/parse/sqltoken.c) and in the client (a
 *	  faithful copy of its rules: src/common/fe_scan.c); and what is built
 *	  on the tokens for both: statement boundaries (sqlsplit_common.c) and
 *	  revision checksums (checksum.c).
 *
 * src/common/sqltoken.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_SQLTOKEN_H
#define SM_SQLTOKEN_H

#include "sm_common.h"

/* one token of PostgreSQL's scanner */
typedef struct SmToken
{
	int			code;			/* token code (parser/gram.h), or the character */
	int			location;		/* byte offset in the scanned text */
	const char *value;			/* semantic value (identifier, constant,
								 * operator or keyword text), or NULL */
	bool		keyword;		/* a keyword: value is its lower-case name */
} SmToken;

/* called per token; returns false to stop the scan */
typedef bool (*SmTokenCallback) (const SmToken *token, void *arg);

/*
 * Scans "sql".  With "fixed", standard_conforming_strings and
 * backslash_quote take fixed values (the client always reads so).  Errors
 * of the scanner are raised with ereport(ERROR).
 */
extern void sm_scan_tokens(const char *sql, bool fixed, SmTokenCallback cb,
						   void *arg);

/* one statement of a revision's SQL, as the parser delimits it */
typedef struct SmStatementText
{
	char	   *sql;			/* text of the statement alone */
	int			location;		/* byte offset in the revision's SQL */
	int			length;			/* byte length */
} SmStatementText;

extern List *sm_split_statements(const char *sql);

/* checksum algorithm tag, stored with every checksum; never changes silently */
#define SM_CHECKSUM_ALGORITHM	"pgtok-sha256-v1"

extern char *sm_checksum(const char *upgrade_sql, const char *downgrade_sql,
						 bool transactional);

#endif							/* SM_SQLTOKEN_H */
