/*-------------------------------------------------------------------------
 *
 * names.h
 *	  What the server library and the client must agree on, in one place:
 *	  the syntax of revision ids and branch labels, the key of the catalog's
 *	  advisory lock and the context line of an error inside a revision.
 *
 * This file depends on libc only (like the rest of src/common): it is
 * compiled into the server library, the client and the fuzz harnesses.
 *
 * src/common/names.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_NAMES_H
#define SM_NAMES_H

#include <stdbool.h>

/*
 * A revision id, and equally a branch label or a depends_on entry, is 1 to
 * SM_MAX_ID_LEN characters, each an ASCII letter, digit or underscore
 * (DESIGN §2: ^[A-Za-z0-9_]{1,64}$).
 */
#define SM_MAX_ID_LEN			64
#define SM_NAME_CHARS_TEXT		"letters, digits and _"

extern bool sm_name_char(char c);
extern bool sm_valid_name(const char *name);

/*
 * Keys of the lock that serialises every mutating call (src/catalog/guard.c).
 * Its tag's last field is one that no SQL function can form, so it has no
 * SQL spelling: scripts and clients take it through schemamig._lock() and
 * schemamig._session_lock(), which PUBLIC cannot execute.
 */
#define SM_LOCK_KEY1			0x736d6967	/* "smig" */
#define SM_LOCK_KEY2			1

/*
 * The error context of a failure inside a revision's SQL:
 *	  while applying revision <id> "<message>" (upgrade|downgrade)
 * The client finds the revision by looking for SM_APPLYING_CONTEXT.
 */
#define SM_APPLYING_CONTEXT		"applying revision "
#define SM_APPLYING_CONTEXT_FMT	"while " SM_APPLYING_CONTEXT "%s \"%s\" (%s)"

#endif							/* SM_NAMES_H */
