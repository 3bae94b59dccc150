/*-------------------------------------------------------------------------
 *
 * strmap.h
 *	  A string -> int map (open addressing), for revision ids and branch
 *	  labels, in the server and in the client alike (strmap.c).
 *
 * Keys are not copied: they must outlive the map.  Memory comes from
 * palloc (libpgcommon's in the client).
 *
 * src/common/strmap.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_STRMAP_H
#define SM_STRMAP_H

typedef struct StrMap
{
	int			size;			/* power of two */
	int			count;
	const char **keys;
	int		   *values;
} StrMap;

extern void strmap_init(StrMap *m, int expected);
extern void strmap_put(StrMap *m, const char *key, int value);
extern int	strmap_get(const StrMap *m, const char *key);
extern void strmap_free(StrMap *m);

#endif							/* SM_STRMAP_H */
