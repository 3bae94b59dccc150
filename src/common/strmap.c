/*-------------------------------------------------------------------------
 *
 * strmap.c
 *	  A string -> int map with open addressing (strmap.h).
 *
 * src/common/strmap.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#include "strmap.h"

/* FNV-1a */
static unsigned int
str_hash(const char *s)
{
	unsigned int h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char) *s) * 16777619u;
	return h;
}

/* strmap_init makes an empty map sized for about "expected" keys. */
void
strmap_init(StrMap *m, int expected)
{
	int			size = 16;

	while (size < expected * 2)
		size *= 2;
	m->size = size;
	m->count = 0;
	m->keys = palloc0(sizeof(char *) * size);
	m->values = palloc(sizeof(int) * size);
}

/* strmap_put inserts or replaces; "key" must outlive the map. */
void
strmap_put(StrMap *m, const char *key, int value)
{
	unsigned int i;

	if ((m->count + 1) * 2 > m->size)
	{
		StrMap		bigger;
		int			j;

		strmap_init(&bigger, m->size);
		for (j = 0; j < m->size; j++)
			if (m->keys[j])
				strmap_put(&bigger, m->keys[j], m->values[j]);
		strmap_free(m);
		*m = bigger;
	}
	i = str_hash(key) & (m->size - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->size - 1);
	if (m->keys[i] == NULL)
		m->count++;
	m->keys[i] = key;
	m->values[i] = value;
}

/* strmap_get returns the value of "key" (NULL allowed), or -1. */
int
strmap_get(const StrMap *m, const char *key)
{
	unsigned int i;

	if (key == NULL)
		return -1;
	i = str_hash(key) & (m->size - 1);
	while (m->keys[i])
	{
		if (strcmp(m->keys[i], key) == 0)
			return m->values[i];
		i = (i + 1) & (m->size - 1);
	}
	return -1;
}

void
strmap_free(StrMap *m)
{
	if (m->keys)
		pfree(m->keys);
	if (m->values)
		pfree(m->values);
	m->keys = NULL;
	m->values = NULL;
}
