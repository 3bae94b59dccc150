/*-------------------------------------------------------------------------
 *
 * jsonout.c
 *	  Small helpers to write JSON with PQExpBuffer, for --json output that
 *	  the client builds itself (findings it computes, not the server's rows,
 *	  which the server turns into JSON in the query).
 *
 * src/client/jsonout.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdio.h>
#include <string.h>

#include "client.h"

/* Appends "s" as a JSON string (null when s is NULL). */
void
json_str(PQExpBuffer b, const char *s)
{
	if (s == NULL)
	{
		appendPQExpBufferStr(b, "null");
		return;
	}
	appendPQExpBufferChar(b, '"');
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
		{
			appendPQExpBufferChar(b, '\\');
			appendPQExpBufferChar(b, (char) c);
		}
		else if (c == '\n')
			appendPQExpBufferStr(b, "\\n");
		else if (c == '\t')
			appendPQExpBufferStr(b, "\\t");
		else if (c == '\r')
			appendPQExpBufferStr(b, "\\r");
		else if (c < 0x20)
			appendPQExpBuffer(b, "\\u%04x", c);
		else
			appendPQExpBufferChar(b, (char) c);
	}
	appendPQExpBufferChar(b, '"');
}

/* Appends "key": "value" (with a comma before it unless "first"). */
void
json_kv(PQExpBuffer b, bool first, const char *key, const char *value)
{
	if (!first)
		appendPQExpBufferChar(b, ',');
	json_str(b, key);
	appendPQExpBufferChar(b, ':');
	json_str(b, value);
}

/* Appends "key": [items...] */
void
json_kv_list(PQExpBuffer b, bool first, const char *key, const RevFileList *l)
{
	int			i;

	if (!first)
		appendPQExpBufferChar(b, ',');
	json_str(b, key);
	appendPQExpBufferStr(b, ":[");
	for (i = 0; i < l->n; i++)
	{
		if (i > 0)
			appendPQExpBufferChar(b, ',');
		json_str(b, l->items[i]);
	}
	appendPQExpBufferChar(b, ']');
}

/* Appends "key": true/false */
void
json_kv_bool(PQExpBuffer b, bool first, const char *key, bool value)
{
	if (!first)
		appendPQExpBufferChar(b, ',');
	json_str(b, key);
	appendPQExpBufferStr(b, value ? ":true" : ":false");
}
