/*-------------------------------------------------------------------------
 *
 * names.c
 *	  The one implementation of the revision id and branch label syntax,
 *	  shared by the server library and the client (names.h).
 *
 * src/common/names.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "names.h"

/* True when "c" may appear in a name. */
bool
sm_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_';
}

/* True when "name" is a valid revision id, branch label or depends_on entry. */
bool
sm_valid_name(const char *name)
{
	size_t		n;

	if (name == NULL)
		return false;
	for (n = 0; name[n] != '\0'; n++)
	{
		if (!sm_name_char(name[n]))
			return false;
		if (n >= SM_MAX_ID_LEN)
			return false;
	}
	return n >= 1;
}
