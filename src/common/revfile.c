/*-------------------------------------------------------------------------
 *
 * revfile.c
 *	  Strict parser and writer of pg_schemamig migration files (see
 *	  revfile.h for the format).
 *
 * Parsing rules:
 *	- Before "-- +upgrade" only blank lines, header lines ("-- key: value"
 *	  with a lower-case key) and free comment lines are allowed; an unknown
 *	  or repeated key, or any SQL, is an error.
 *	- "-- revision:" and "-- down_revision:" are required (an empty
 *	  down_revision makes a base); "-- +upgrade" must come before
 *	  "-- +downgrade", each exactly once.  "-- +downgrade" may only be left
 *	  out by a revision declared "-- irreversible: true".
 *	- Every error is reported as "path:line: problem".
 *
 * Plain C on the C library only: the same object serves the client and is
 * compiled (unused) into the server library.
 *
 * src/common/revfile.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revfile.h"

/* Longest file we accept (a revision, not a data dump). */
#define REVFILE_MAX_SIZE (64 * 1024 * 1024)

typedef struct Parser
{
	const char *path;
	char	   *err;			/* first error, malloc'd */
	bool		failed;			/* an error (or out of memory) happened */
} Parser;

/*
 * utf8_cliplen: how many of the len bytes of s fit in max bytes without
 * cutting a UTF-8 character in half (revision files are UTF-8), so that a
 * shortened quote in a message stays valid text.
 */
static int
utf8_cliplen(const char *s, size_t len, size_t max)
{
	size_t		n;

	if (len <= max)
		return (int) len;
	n = max;
	/* s[n] is the first byte left out: not in the middle of a character */
	while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	return (int) n;
}

/* Drops an incomplete UTF-8 character that vsnprintf's truncation left at the end of s. */
static void
utf8_trim_partial(char *s)
{
	size_t		len = strlen(s);
	size_t		lead = len;
	unsigned char c;
	size_t		need;

	while (lead > 0 && ((unsigned char) s[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead == 0)
		return;
	c = (unsigned char) s[lead - 1];
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (len - (lead - 1) < need)
		s[lead - 1] = '\0';
}

/*
 * Records the first error as "path:line: message"; later errors are
 * dropped, so the user sees the first problem of the file.
 */
static void perr(Parser *p, int line, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

static void
perr(Parser *p, int line, const char *fmt,...)
{
	char		msg[512];
	va_list		ap;
	size_t		need;

	if (p->failed)
		return;
	p->failed = true;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) >= (int) sizeof(msg))
		utf8_trim_partial(msg);
	va_end(ap);
	need = strlen(p->path) + strlen(msg) + 32;
	p->err = malloc(need);
	if (p->err == NULL)
		return;
	if (line > 0)
		snprintf(p->err, need, "%s:%d: %s", p->path, line, msg);
	else
		snprintf(p->err, need, "%s: %s", p->path, msg);
}

/* malloc'd copy of n bytes of s; NULL (and the parser failed) on no memory */
static char *
pstrndup(Parser *p, const char *s, size_t n)
{
	char	   *r = malloc(n + 1);

	if (r == NULL)
	{
		p->failed = true;
		return NULL;
	}
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* revfile_list_free frees the strings of a list and empties it. */
void
revfile_list_free(RevFileList *l)
{
	int			i;

	for (i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/*
 * Parses a comma-separated list of "what" (ids when "ids", labels
 * otherwise) into "out".  Empty text gives an empty list.
 */
static void
parse_list(Parser *p, int line, const char *key, const char *text, bool ids,
		   RevFileList *out)
{
	const char *s = text;

	out->n = 0;
	out->items = NULL;
	if (*s == '\0')
		return;
	for (;;)
	{
		const char *comma = strchr(s, ',');
		const char *end = comma ? comma : s + strlen(s);
		const char *b = s;
		const char *e = end;
		char	   *item;
		char	  **grown;
		int			i;

		while (b < e && isspace((unsigned char) *b))
			b++;
		while (e > b && isspace((unsigned char) e[-1]))
			e--;
		if (b == e)
		{
			perr(p, line, "empty entry in \"%s\"", key);
			return;
		}
		item = pstrndup(p, b, e - b);
		if (item == NULL)
			return;
		/* ids, labels and depends_on entries: one syntax (names.h) */
		if (!sm_valid_name(item))
		{
			perr(p, line, "invalid %s \"%.*s\" in \"%s\" (allowed: %s, at most %d characters)",
				 ids ? "revision id" : "name",
				 utf8_cliplen(item, strlen(item), 80), item, key,
				 SM_NAME_CHARS_TEXT, REVFILE_MAX_ID_LEN);
			free(item);
			return;
		}
		for (i = 0; i < out->n; i++)
		{
			if (strcmp(out->items[i], item) == 0)
			{
				perr(p, line, "\"%s\" lists \"%s\" twice", key, item);
				free(item);
				return;
			}
		}
		grown = realloc(out->items, sizeof(char *) * (out->n + 1));
		if (grown == NULL)
		{
			free(item);
			p->failed = true;
			return;
		}
		out->items = grown;
		out->items[out->n++] = item;
		if (comma == NULL)
			break;
		s = comma + 1;
	}
}

/* Parses "true"/"false" (any case). */
static bool
parse_bool(Parser *p, int line, const char *key, const char *v)
{
	if (strcasecmp(v, "true") == 0)
		return true;
	if (strcasecmp(v, "false") == 0)
		return false;
	perr(p, line, "\"%s\" must be true or false, not \"%.*s\"", key,
		 utf8_cliplen(v, strlen(v), 80), v);
	return false;
}

/*
 * Classifies a line that starts with "--": a section marker sets *section
 * ("+upgrade" or "+downgrade" as written, and the rest must be blank), a
 * header sets key and value.  Returns 1 for a marker, 2 for a header, 0 for
 * a plain comment.
 */
static int
classify_comment(const char *line, size_t len, const char **word, size_t *wordlen,
				 const char **value, size_t *valuelen)
{
	const char *s = line + 2;
	const char *end = line + len;
	const char *k;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s < end && *s == '+')
	{
		k = s;
		s++;
		while (s < end && (isalnum((unsigned char) *s) || *s == '_'))
			s++;
		*word = k;
		*wordlen = s - k;
		while (s < end && isspace((unsigned char) *s))
			s++;
		*value = s;
		*valuelen = end - s;
		return 1;
	}
	k = s;
	while (s < end && ((*s >= 'a' && *s <= 'z') || *s == '_'))
		s++;
	if (s == k || s >= end || *s != ':')
		return 0;
	*word = k;
	*wordlen = s - k;
	s++;
	while (s < end && isspace((unsigned char) *s))
		s++;
	while (end > s && isspace((unsigned char) end[-1]))
		end--;
	*value = s;
	*valuelen = end - s;
	return 2;
}

/* Known header keys, in the order they are written. */
static const char *const header_keys[] = {
	"revision", "down_revision", "branch_labels", "depends_on",
	"transactional", "irreversible", "message"
};
#define NUM_HEADER_KEYS ((int) (sizeof(header_keys) / sizeof(header_keys[0])))

/*
 * Copies a section body [b, e) with leading blank lines and trailing white
 * space removed; *first_line is advanced over the removed lines.
 */
static char *
section_body(Parser *p, const char *b, const char *e, int *first_line)
{
	const char *s = b;

	/* skip whole blank lines at the start */
	for (;;)
	{
		const char *t = s;

		while (t < e && (*t == ' ' || *t == '\t' || *t == '\r'))
			t++;
		if (t < e && *t == '\n')
		{
			s = t + 1;
			(*first_line)++;
		}
		else
			break;
	}
	while (e > s && isspace((unsigned char) e[-1]))
		e--;
	return pstrndup(p, s, e - s);
}

RevFile *
revfile_parse(const char *path, const char *buf, size_t len, char **err)
{
	Parser		p;
	RevFile    *rf;
	const char *pos = buf;
	const char *end = buf + len;
	int			lineno = 0;
	int			key_line[NUM_HEADER_KEYS];
	char	   *key_value[NUM_HEADER_KEYS];
	int			state = 0;		/* 0 header, 1 upgrade, 2 downgrade */
	const char *up_start = NULL,
			   *up_end = NULL,
			   *down_start = NULL;
	int			up_line = 0,
				down_line = 0,
				up_marker_line = 0,
				down_marker_line = 0;
	int			i;

	p.path = path;
	p.err = NULL;
	p.failed = false;
	*err = NULL;
	for (i = 0; i < NUM_HEADER_KEYS; i++)
	{
		key_line[i] = 0;
		key_value[i] = NULL;
	}

	rf = calloc(1, sizeof(RevFile));
	if (rf == NULL)
		return NULL;
	rf->transactional = true;

	if (memchr(buf, '\0', len) != NULL)
		perr(&p, 0, "file contains a NUL byte");

	while (!p.failed && pos < end)
	{
		const char *nl = memchr(pos, '\n', end - pos);
		const char *lend = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		const char *l = pos;
		size_t		llen;
		const char *w = NULL,
				   *v = NULL;
		size_t		wl = 0,
					vl = 0;
		int			kind = 0;

		lineno++;
		if (lend > l && lend[-1] == '\r')
			lend--;
		/* leading white space does not matter for comments and markers */
		while (l < lend && (*l == ' ' || *l == '\t'))
			l++;
		llen = lend - l;
		if (llen >= 2 && l[0] == '-' && l[1] == '-')
			kind = classify_comment(l, llen, &w, &wl, &v, &vl);

		if (kind == 1 && wl == 8 && strncmp(w, "+upgrade", 8) == 0)
		{
			if (vl != 0)
				perr(&p, lineno, "unexpected text after \"-- +upgrade\"");
			else if (state != 0)
				perr(&p, lineno, "duplicate \"-- +upgrade\" section (first at line %d)", up_marker_line);
			else
			{
				state = 1;
				up_marker_line = lineno;
				up_start = next;
				up_line = lineno + 1;
			}
		}
		else if (kind == 1 && wl == 10 && strncmp(w, "+downgrade", 10) == 0)
		{
			if (vl != 0)
				perr(&p, lineno, "unexpected text after \"-- +downgrade\"");
			else if (state == 0)
				perr(&p, lineno, "\"-- +downgrade\" before \"-- +upgrade\"");
			else if (state == 2)
				perr(&p, lineno, "duplicate \"-- +downgrade\" section (first at line %d)", down_marker_line);
			else
			{
				state = 2;
				down_marker_line = lineno;
				up_end = pos;
				down_start = next;
				down_line = lineno + 1;
			}
		}
		else if (state == 0)
		{
			if (kind == 1)
				perr(&p, lineno, "unknown section \"-- %.*s\" (expected \"-- +upgrade\")",
					 utf8_cliplen(w, wl, 40), w);
			else if (kind == 2)
			{
				int			k;

				for (k = 0; k < NUM_HEADER_KEYS; k++)
					if (strlen(header_keys[k]) == wl && strncmp(header_keys[k], w, wl) == 0)
						break;
				if (k == NUM_HEADER_KEYS)
					perr(&p, lineno, "unknown header \"%.*s\" (known: revision, down_revision, branch_labels, depends_on, transactional, irreversible, message)",
						 utf8_cliplen(w, wl, 40), w);
				else if (key_line[k] != 0)
					perr(&p, lineno, "duplicate header \"%s\" (first at line %d)",
						 header_keys[k], key_line[k]);
				else
				{
					key_line[k] = lineno;
					key_value[k] = pstrndup(&p, v, vl);
				}
			}
			else if (llen > 0 && !(llen >= 2 && l[0] == '-' && l[1] == '-'))
			{
				size_t		t = 0;

				while (t < llen && isspace((unsigned char) l[t]))
					t++;
				if (t < llen)
					perr(&p, lineno, "SQL before \"-- +upgrade\" (headers are \"-- key: value\" comment lines)");
			}
		}
		pos = next;
	}

	if (!p.failed)
	{
		if (key_line[0] == 0)
			perr(&p, 1, "missing header \"-- revision:\"");
		else if (key_line[1] == 0)
			perr(&p, 1, "missing header \"-- down_revision:\" (leave it empty for a base revision)");
		else if (state == 0)
			perr(&p, lineno, "missing section \"-- +upgrade\"");
	}

	if (!p.failed)
	{
		/* revision */
		rf->id_line = key_line[0];
		if (!sm_valid_name(key_value[0]))
			perr(&p, key_line[0], "invalid revision id \"%.*s\" (allowed: letters, digits and _, 1 to %d characters)",
				 utf8_cliplen(key_value[0], strlen(key_value[0]), 80), key_value[0],
				 REVFILE_MAX_ID_LEN);
		else
		{
			rf->id = key_value[0];
			key_value[0] = NULL;
		}
		rf->down_line = key_line[1];
		parse_list(&p, key_line[1], "down_revision", key_value[1], true, &rf->down);
		if (key_line[2] != 0)
		{
			rf->labels_line = key_line[2];
			parse_list(&p, key_line[2], "branch_labels", key_value[2], false, &rf->labels);
		}
		if (key_line[3] != 0)
		{
			rf->depends_line = key_line[3];
			parse_list(&p, key_line[3], "depends_on", key_value[3], false, &rf->depends);
		}
		if (key_line[4] != 0)
			rf->transactional = parse_bool(&p, key_line[4], "transactional", key_value[4]);
		if (key_line[5] != 0)
			rf->irreversible = parse_bool(&p, key_line[5], "irreversible", key_value[5]);
		rf->message = pstrndup(&p, key_value[6] ? key_value[6] : "",
							   key_value[6] ? strlen(key_value[6]) : 0);
	}

	if (!p.failed)
	{
		for (i = 0; i < rf->down.n; i++)
			if (strcmp(rf->down.items[i], rf->id) == 0)
				perr(&p, rf->down_line, "revision \"%s\" lists itself as its down_revision", rf->id);
		for (i = 0; i < rf->depends.n; i++)
			if (strcmp(rf->depends.items[i], rf->id) == 0)
				perr(&p, rf->depends_line, "revision \"%s\" depends on itself", rf->id);
	}

	if (!p.failed)
	{
		rf->upgrade_line = up_line;
		rf->upgrade_sql = section_body(&p, up_start, state == 2 ? up_end : end,
									   &rf->upgrade_line);
		if (state == 2)
		{
			rf->downgrade_line = down_line;
			rf->downgrade_sql = section_body(&p, down_start, end, &rf->downgrade_line);
		}
		if (!p.failed)
		{
			if (rf->irreversible && rf->downgrade_sql != NULL && rf->downgrade_sql[0] != '\0')
				perr(&p, down_marker_line, "revision \"%s\" is declared irreversible but has a downgrade",
					 rf->id);
			else if (!rf->irreversible && state != 2)
				perr(&p, lineno, "missing section \"-- +downgrade\" (leave it empty for a no-op, or declare \"-- irreversible: true\")");
			else if (rf->irreversible)
			{
				free(rf->downgrade_sql);
				rf->downgrade_sql = NULL;
			}
		}
	}

	for (i = 0; i < NUM_HEADER_KEYS; i++)
		free(key_value[i]);
	if (p.failed)
	{
		*err = p.err;
		revfile_free(rf);
		return NULL;
	}
	rf->path = pstrndup(&p, path, strlen(path));
	if (p.failed)
	{
		revfile_free(rf);
		return NULL;
	}
	return rf;
}

RevFile *
revfile_read(const char *path, char **err)
{
	FILE	   *f;
	char	   *buf;
	long		size;
	size_t		got;
	RevFile    *rf;
	char		msg[512];

	*err = NULL;
	f = fopen(path, "rb");
	if (f == NULL)
	{
		snprintf(msg, sizeof(msg), "%s: could not open file: %s", path, strerror(errno));
		*err = strdup(msg);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
	{
		snprintf(msg, sizeof(msg), "%s: could not read file: %s", path, strerror(errno));
		fclose(f);
		*err = strdup(msg);
		return NULL;
	}
	if (size > REVFILE_MAX_SIZE)
	{
		snprintf(msg, sizeof(msg), "%s: file is too large (%ld bytes)", path, size);
		fclose(f);
		*err = strdup(msg);
		return NULL;
	}
	buf = malloc(size + 1);
	if (buf == NULL)
	{
		fclose(f);
		return NULL;
	}
	got = fread(buf, 1, size, f);
	if (got != (size_t) size || ferror(f))
	{
		snprintf(msg, sizeof(msg), "%s: could not read file: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		*err = strdup(msg);
		return NULL;
	}
	fclose(f);
	buf[size] = '\0';
	rf = revfile_parse(path, buf, size, err);
	free(buf);
	return rf;
}

void
revfile_free(RevFile *rf)
{
	if (rf == NULL)
		return;
	free(rf->path);
	free(rf->id);
	free(rf->message);
	revfile_list_free(&rf->down);
	revfile_list_free(&rf->labels);
	revfile_list_free(&rf->depends);
	free(rf->upgrade_sql);
	free(rf->downgrade_sql);
	free(rf);
}

char *
revfile_slug(const char *message, int maxlen)
{
	size_t		mlen = strlen(message);
	char	   *out = malloc(mlen + 1);
	size_t		o = 0;
	const char *s = message;

	if (out == NULL)
		return NULL;
	while (*s)
	{
		const char *w;
		size_t		wl;

		while (*s && !(isascii((unsigned char) *s) && (isalnum((unsigned char) *s) || *s == '_')))
			s++;
		if (*s == '\0')
			break;
		w = s;
		while (*s && isascii((unsigned char) *s) && (isalnum((unsigned char) *s) || *s == '_'))
			s++;
		wl = s - w;
		/* cut at a word boundary, but never drop the first word entirely */
		if ((int) (o + (o > 0) + wl) > maxlen)
		{
			if (o == 0)
				wl = maxlen;
			else
				break;
		}
		if (o > 0)
			out[o++] = '_';
		while (wl-- > 0)
			out[o++] = tolower((unsigned char) *w++);
	}
	out[o] = '\0';
	return out;
}

char *
revfile_join(const RevFileList *list, const char *sep)
{
	size_t		need = 1;
	char	   *out;
	int			i;

	for (i = 0; i < list->n; i++)
		need += strlen(list->items[i]) + strlen(sep);
	out = malloc(need);
	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (i = 0; i < list->n; i++)
	{
		if (i > 0)
			strcat(out, sep);
		strcat(out, list->items[i]);
	}
	return out;
}

char *
revfile_format(const RevFile *rf)
{
	char	   *down = revfile_join(&rf->down, ", ");
	char	   *labels = revfile_join(&rf->labels, ", ");
	char	   *deps = revfile_join(&rf->depends, ", ");
	char	   *out = NULL;
	size_t		need;

	if (down && labels && deps)
	{
		need = strlen(rf->id) + strlen(down) + strlen(labels) + strlen(deps) +
			strlen(rf->message) + strlen(rf->upgrade_sql) +
			(rf->downgrade_sql ? strlen(rf->downgrade_sql) : 0) + 256;
		out = malloc(need);
		if (out != NULL)
			snprintf(out, need,
					 "-- revision: %s\n"
					 "-- down_revision:%s%s\n"
					 "-- branch_labels:%s%s\n"
					 "-- depends_on:%s%s\n"
					 "-- transactional: %s\n"
					 "%s"
					 "-- message: %s\n"
					 "-- +upgrade\n"
					 "%s%s"
					 "%s%s%s",
					 rf->id,
					 *down ? " " : "", down,
					 *labels ? " " : "", labels,
					 *deps ? " " : "", deps,
					 rf->transactional ? "true" : "false",
					 rf->downgrade_sql ? "" : "-- irreversible: true\n",
					 rf->message,
					 rf->upgrade_sql, "\n",
					 rf->downgrade_sql ? "-- +downgrade\n" : "",
					 rf->downgrade_sql ? rf->downgrade_sql : "",
					 rf->downgrade_sql ? "\n" : "");
	}
	free(down);
	free(labels);
	free(deps);
	return out;
}

int
revfile_line_of(const RevFile *rf, bool upgrade, size_t offset)
{
	const char *sql = upgrade ? rf->upgrade_sql : rf->downgrade_sql;
	int			line = upgrade ? rf->upgrade_line : rf->downgrade_line;
	size_t		i;

	if (sql == NULL)
		return line;
	for (i = 0; i < offset && sql[i] != '\0'; i++)
		if (sql[i] == '\n')
			line++;
	return line;
}
