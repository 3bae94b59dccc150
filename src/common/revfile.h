/*-------------------------------------------------------------------------
 *
 * revfile.h
 *	  Migration files of the pg_schemamig client: one revision per file,
 *	  header comments followed by "-- +upgrade" and "-- +downgrade" sections.
 *
 *		-- revision: 1a2b3c4d5e6f
 *		-- down_revision: 0f9e8d7c6b5a		(comma-separated; empty for a base)
 *		-- branch_labels:
 *		-- depends_on:
 *		-- transactional: true
 *		-- message: add priority to tasks
 *		-- +upgrade
 *		ALTER TABLE tasks ADD COLUMN priority text;
 *		-- +downgrade
 *		ALTER TABLE tasks DROP COLUMN priority;
 *
 * This file is plain C on the C library only (it is also compiled into the
 * server library by the top-level wildcard, where nothing calls it): memory
 * comes from malloc and errors are returned as text, never raised.
 *
 * src/common/revfile.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_REVFILE_H
#define SM_REVFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

/* Longest revision id or label (names.h), as the catalog's CHECK allows. */
#define REVFILE_MAX_ID_LEN SM_MAX_ID_LEN

/* A list of strings (revision ids or labels). */
typedef struct RevFileList
{
	int			n;
	char	  **items;
} RevFileList;

/* One parsed migration file. */
typedef struct RevFile
{
	char	   *path;			/* as given to the parser */
	char	   *id;				/* "-- revision:" */
	char	   *message;		/* "-- message:" ("" when absent) */
	RevFileList down;			/* "-- down_revision:" */
	RevFileList labels;			/* "-- branch_labels:" */
	RevFileList depends;		/* "-- depends_on:" */
	bool		transactional;	/* "-- transactional:" (default true) */
	bool		irreversible;	/* "-- irreversible: true": no downgrade */
	char	   *upgrade_sql;	/* body of "-- +upgrade", trimmed */
	char	   *downgrade_sql;	/* body of "-- +downgrade", trimmed; NULL if
								 * irreversible */

	/* 1-based line numbers, for messages (0 = absent) */
	int			id_line;
	int			down_line;
	int			depends_line;
	int			labels_line;
	int			upgrade_line;	/* first line of the upgrade body */
	int			downgrade_line; /* first line of the downgrade body */
} RevFile;

/*
 * Parses "len" bytes of "buf" as a migration file named "path" (used in
 * messages only).  On success returns a new RevFile.  On failure returns
 * NULL and sets *err to a malloc'd message "path:line: problem" (NULL too if
 * memory ran out).
 */
extern RevFile *revfile_parse(const char *path, const char *buf, size_t len,
							  char **err);

/* Reads and parses a file; errors as for revfile_parse. */
extern RevFile *revfile_read(const char *path, char **err);

extern void revfile_free(RevFile *rf);

/* Frees the strings of a list and empties it. */
extern void revfile_list_free(RevFileList *l);

/*
 * Alembic's file-name slug of a message: its words (runs of letters, digits
 * and '_') lower-cased and joined by '_', cut at a word boundary to at most
 * "maxlen" characters.  Returns a malloc'd string (possibly empty).
 */
extern char *revfile_slug(const char *message, int maxlen);

/*
 * The text of a migration file for the given fields (upgrade_sql and
 * downgrade_sql are written as given; NULL downgrade_sql writes an
 * irreversible revision).  Returns a malloc'd string, NULL if out of memory.
 */
extern char *revfile_format(const RevFile *rf);

/* Joins a list with ", " (malloc'd). */
extern char *revfile_join(const RevFileList *list, const char *sep);

/*
 * Maps a byte offset inside upgrade_sql (upgrade = true) or downgrade_sql to
 * the 1-based line of the file it came from.
 */
extern int	revfile_line_of(const RevFile *rf, bool upgrade, size_t offset);

#endif							/* SM_REVFILE_H */
