/*-------------------------------------------------------------------------
 *
 * migdir.c
 *	  The migrations folder: reads every <rev>_<slug>.sql file, checks the
 *	  set as a whole (duplicate ids and labels, unknown parents and
 *	  dependencies, cycles) and orders it parents first, so that revisions
 *	  can be registered in that order.  Ties are broken by file name, which
 *	  makes the registration order (Alembic's tie-breaker between parallel
 *	  lines) the same on every machine.
 *
 * Every problem is reported as "file:line: problem".
 *
 * src/client/migdir.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * Reads the sorted list of *.sql names in "path".  Returns the count, or -1
 * after an error message.
 */
static int
list_sql_files(const char *path, char ***names, int *dirfd_out)
{
	DIR		   *d = opendir(path);
	struct dirent *de;
	int			n = 0;

	*names = NULL;
	if (d == NULL)
	{
		pg_log_error("could not open migrations folder \"%s\": %s", path, strerror(errno));
		if (errno == ENOENT)
			pg_log_error_hint("Run \"pg_schemamig init\" to create it, or name it with -D.");
		return -1;
	}
	while ((de = readdir(d)) != NULL)
	{
		size_t		len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		*names = pg_realloc(*names, sizeof(char *) * (n + 1));
		(*names)[n++] = pg_strdup(de->d_name);
	}
	*dirfd_out = dup(dirfd(d));
	closedir(d);
	qsort(*names, n, sizeof(char *), cmp_names);
	return n;
}

/*
 * Reads and parses one file of the folder: openat/fstat/read/close, four
 * system calls (stdio needs twice as many, which shows with thousands of
 * files).  Errors as for revfile_parse.
 */
static RevFile *
read_one(int dirfd, const char *dirpath, const char *name, char **err)
{
	char	   *full = psprintf("%s/%s", dirpath, name);
	int			fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char	   *buf;
	size_t		got = 0;
	RevFile    *rf = NULL;

	*err = NULL;
	if (fd < 0 || fstat(fd, &st) != 0)
	{
		*err = psprintf("%s: could not open file: %s", full, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(full);
		return NULL;
	}
	buf = pg_malloc(st.st_size + 1);
	while (got < (size_t) st.st_size)
	{
		ssize_t		r = read(fd, buf + got, st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	close(fd);
	if (got != (size_t) st.st_size)
		*err = psprintf("%s: could not read file: %s", full, strerror(errno));
	else
	{
		buf[got] = '\0';
		rf = revfile_parse(full, buf, got, err);
	}
	free(buf);
	free(full);
	return rf;
}

/* A min-heap of file indexes (file-name order). */
typedef struct Heap
{
	int			n;
	int		   *a;
} Heap;

static void
heap_push(Heap *h, int v)
{
	int			i = h->n++;

	h->a[i] = v;
	while (i > 0 && h->a[(i - 1) / 2] > h->a[i])
	{
		int			t = h->a[i];

		h->a[i] = h->a[(i - 1) / 2];
		h->a[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static int
heap_pop(Heap *h)
{
	int			top = h->a[0];
	int			i = 0;

	h->a[0] = h->a[--h->n];
	for (;;)
	{
		int			l = 2 * i + 1,
					r = l + 1,
					m = i,
					t;

		if (l < h->n && h->a[l] < h->a[m])
			m = l;
		if (r < h->n && h->a[r] < h->a[m])
			m = r;
		if (m == i)
			break;
		t = h->a[i];
		h->a[i] = h->a[m];
		h->a[m] = t;
		i = m;
	}
	return top;
}

/*
 * The revision a depends_on entry names: a revision id or a branch label.
 * Returns its index, or -1.
 */
static int
resolve_dependency(RevFile **files, const StrMap *byid, const StrMap *bylabel,
				   const char *name)
{
	int			i = strmap_get(byid, name);

	(void) files;
	if (i >= 0)
		return i;
	return strmap_get(bylabel, name);
}

/* The message for a cycle through the not-yet-ordered file "start". */
static char *
report_cycle(RevFile **files, const StrMap *byid, const StrMap *bylabel,
			 const int *pending, int n, int start)
{
	int		   *seen = pg_malloc(sizeof(int) * n);
	int		   *path = pg_malloc(sizeof(int) * (n + 1));
	int			len = 0,
				cur = start,
				i,
				from;
	size_t		textlen = 0;
	char	   *text,
			   *msg;

	for (i = 0; i < n; i++)
		seen[i] = -1;
	/* walk to a pending parent until a file repeats */
	while (seen[cur] < 0)
	{
		RevFile    *f = files[cur];
		int			next = -1;

		seen[cur] = len;
		path[len++] = cur;
		for (i = 0; i < f->down.n && next < 0; i++)
		{
			int			p = strmap_get(byid, f->down.items[i]);

			if (p >= 0 && pending[p] > 0)
				next = p;
		}
		for (i = 0; i < f->depends.n && next < 0; i++)
		{
			int			p = resolve_dependency(files, byid, bylabel, f->depends.items[i]);

			if (p >= 0 && pending[p] > 0)
				next = p;
		}
		if (next < 0)
			break;				/* cannot happen: pending files have pending
								 * parents */
		cur = next;
	}
	from = seen[cur] >= 0 ? seen[cur] : 0;
	for (i = from; i < len; i++)
		textlen += strlen(files[path[i]]->id) + 4;
	text = pg_malloc(textlen + strlen(files[cur]->id) + 1);
	text[0] = '\0';
	for (i = from; i < len; i++)
	{
		strcat(text, files[path[i]]->id);
		strcat(text, " -> ");
	}
	strcat(text, files[cur]->id);
	msg = psprintf("%s:%d: cycle among revision files: %s (each revision names the next as its down_revision or depends_on)",
					files[path[from]]->path, files[path[from]]->down_line, text);
	free(text);
	free(seen);
	free(path);
	return msg;
}

/* Records a problem of one file ("path:line: problem"), which is left out. */
static void
add_bad(MigDir *md, bool *excluded, int i, char *msg)
{
	md->bad = pg_realloc(md->bad, sizeof(char *) * (md->nbad + 1));
	md->bad[md->nbad++] = msg;
	if (excluded)
		excluded[i] = true;
}

/*
 * Reads the folder.  A file that cannot be read or parsed, repeats a
 * revision or a branch label, names an unknown (or left-out) parent or
 * dependency, or is part of a cycle is left out and its problem recorded in
 * md->bad, so that reading commands can still answer; commands that change
 * anything refuse while md->nbad > 0 (migdir_report_bad).  Returns NULL only
 * when the folder itself cannot be read.
 */
MigDir *
migdir_load(const char *path, void (*progress) (void *), void *progress_arg)
{
	char	  **names;
	int			dfd = -1;
	int			nnames = list_sql_files(path, &names, &dfd);
	RevFile   **files;
	bool	   *excluded;
	StrMap		byid,
				bylabel;
	int		   *pending;
	int		  **children;
	int		   *nchildren;
	Heap		heap;
	MigDir	   *md;
	RevFile   **ordered;
	int			i,
				j,
				n = 0,
				done = 0;
	bool		changed;

	if (nnames < 0)
		return NULL;
	md = pg_malloc(sizeof(MigDir));
	memset(md, 0, sizeof(MigDir));
	md->path = pg_strdup(path);
	files = pg_malloc(sizeof(RevFile *) * (nnames + 1));
	excluded = pg_malloc(sizeof(bool) * (nnames + 1));
	memset(excluded, 0, sizeof(bool) * (nnames + 1));
	strmap_init(&byid, nnames);
	strmap_init(&bylabel, nnames);

	/* parse every file; the first file of a revision id wins */
	for (i = 0; i < nnames; i++)
	{
		char	   *err = NULL;
		RevFile    *rf = read_one(dfd, path, names[i], &err);

		if (progress)
			progress(progress_arg);
		if (rf == NULL)
		{
			add_bad(md, NULL, 0, err ? err : pg_strdup("out of memory"));
			continue;
		}
		files[n] = rf;
		j = strmap_get(&byid, rf->id);
		if (j >= 0)
			add_bad(md, excluded, n, psprintf("%s:%d: duplicate revision \"%s\" (also in %s)",
											   rf->path, rf->id_line, rf->id, files[j]->path));
		else
			strmap_put(&byid, rf->id, n);
		n++;
	}
	close(dfd);

	/* branch labels are unique and never shadow a revision id */
	for (i = 0; i < n; i++)
	{
		for (j = 0; j < files[i]->labels.n && !excluded[i]; j++)
		{
			const char *l = files[i]->labels.items[j];
			int			other = strmap_get(&bylabel, l);

			if (other >= 0)
				add_bad(md, excluded, i, psprintf("%s:%d: branch label \"%s\" is also declared by %s",
												   files[i]->path, files[i]->labels_line, l, files[other]->path));
			else if (strmap_get(&byid, l) >= 0)
				add_bad(md, excluded, i, psprintf("%s:%d: branch label \"%s\" is also a revision id",
												   files[i]->path, files[i]->labels_line, l));
			else
				strmap_put(&bylabel, l, i);
		}
	}

	/* unknown (or left-out) parents and dependencies, until nothing changes */
	do
	{
		changed = false;
		for (i = 0; i < n; i++)
		{
			for (j = 0; j < files[i]->down.n && !excluded[i]; j++)
			{
				int			p = strmap_get(&byid, files[i]->down.items[j]);

				if (p < 0 || excluded[p])
				{
					add_bad(md, excluded, i,
							p < 0 ? psprintf("%s:%d: unknown down_revision \"%s\" (no file in %s has that revision)",
											  files[i]->path, files[i]->down_line, files[i]->down.items[j], path) :
							psprintf("%s:%d: down_revision \"%s\" is in %s, which has a problem",
									  files[i]->path, files[i]->down_line, files[i]->down.items[j], files[p]->path));
					changed = true;
				}
			}
			for (j = 0; j < files[i]->depends.n && !excluded[i]; j++)
			{
				int			p = resolve_dependency(files, &byid, &bylabel, files[i]->depends.items[j]);

				if (p < 0 || excluded[p])
				{
					add_bad(md, excluded, i,
							p < 0 ? psprintf("%s:%d: unknown depends_on \"%s\" (neither a revision nor a branch label in %s)",
											  files[i]->path, files[i]->depends_line, files[i]->depends.items[j], path) :
							psprintf("%s:%d: depends_on \"%s\" is in %s, which has a problem",
									  files[i]->path, files[i]->depends_line, files[i]->depends.items[j], files[p]->path));
					changed = true;
				}
			}
		}
	} while (changed);

	/* Kahn's algorithm over the files kept; ready files leave in name order */
	ordered = pg_malloc(sizeof(RevFile *) * (n + 1));
	pending = pg_malloc(sizeof(int) * (n + 1));
	nchildren = pg_malloc(sizeof(int) * (n + 1));
	children = pg_malloc(sizeof(int *) * (n + 1));
	heap.a = pg_malloc(sizeof(int) * (n + 1));
	heap.n = 0;
	for (i = 0; i < n; i++)
	{
		nchildren[i] = 0;
		children[i] = NULL;
	}
	for (i = 0; i < n; i++)
	{
		RevFile    *f = files[i];
		int			k;

		pending[i] = 0;
		if (excluded[i])
			continue;
		pending[i] = f->down.n + f->depends.n;
		for (k = 0; k < f->down.n + f->depends.n; k++)
		{
			int			p = k < f->down.n ?
				strmap_get(&byid, f->down.items[k]) :
				resolve_dependency(files, &byid, &bylabel, f->depends.items[k - f->down.n]);

			children[p] = pg_realloc(children[p], sizeof(int) * (nchildren[p] + 1));
			children[p][nchildren[p]++] = i;
		}
	}
	for (i = 0; i < n; i++)
		if (!excluded[i] && pending[i] == 0)
			heap_push(&heap, i);
	while (heap.n > 0)
	{
		int			cur = heap_pop(&heap);

		ordered[done++] = files[cur];
		for (j = 0; j < nchildren[cur]; j++)
			if (--pending[children[cur][j]] == 0)
				heap_push(&heap, children[cur][j]);
	}
	for (i = 0; i < n; i++)
		if (!excluded[i] && pending[i] > 0)
		{
			/* a cycle, or downstream of one: one message, all left out */
			char	   *msg = report_cycle(files, &byid, &bylabel, pending, n, i);
			int			k;

			add_bad(md, NULL, 0, msg);
			for (k = 0; k < n; k++)
				if (!excluded[k] && pending[k] > 0)
					excluded[k] = true;
			break;
		}
	for (i = 0; i < n; i++)
		free(children[i]);
	free(children);
	free(nchildren);
	free(pending);
	free(heap.a);

	md->n = done;
	md->files = ordered;
	strmap_init(&md->byid, done);
	for (i = 0; i < done; i++)
		strmap_put(&md->byid, ordered[i]->id, i);
	for (i = 0; i < n; i++)
		if (excluded[i])
			revfile_free(files[i]);
	strmap_free(&byid);
	strmap_free(&bylabel);
	free(files);
	free(excluded);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return md;
}

/*
 * For commands that change something: the files must all be good.  Prints
 * each problem as an error and returns false when there is one.
 */
bool
migdir_report_bad(const MigDir *md)
{
	int			i;

	for (i = 0; i < md->nbad; i++)
		pg_log_error("%s", md->bad[i]);
	return md->nbad == 0;
}

void
migdir_free(MigDir *md)
{
	int			i;

	if (md == NULL)
		return;
	for (i = 0; i < md->n; i++)
		revfile_free(md->files[i]);
	for (i = 0; i < md->nbad; i++)
		free(md->bad[i]);
	free(md->bad);
	free(md->files);
	strmap_free(&md->byid);
	free(md->path);
	free(md);
}

int
migdir_find(const MigDir *md, const char *id)
{
	return strmap_get(&md->byid, id);
}

/*
 * The heads of the files: revisions no other file names as its
 * down_revision (Alembic's "heads" of the script directory), in
 * registration order.  Returns the count; *heads is malloc'd.
 */
int
migdir_heads(const MigDir *md, int **heads)
{
	bool	   *has_child = pg_malloc(sizeof(bool) * (md->n ? md->n : 1));
	int			i,
				j,
				n = 0;

	for (i = 0; i < md->n; i++)
		has_child[i] = false;
	for (i = 0; i < md->n; i++)
		for (j = 0; j < md->files[i]->down.n; j++)
			has_child[migdir_find(md, md->files[i]->down.items[j])] = true;
	*heads = pg_malloc(sizeof(int) * (md->n ? md->n : 1));
	for (i = 0; i < md->n; i++)
		if (!has_child[i])
			(*heads)[n++] = i;
	free(has_child);
	return n;
}

/* True when file "anc" is "desc" or one of its ancestors by down_revision. */
static bool
is_ancestor(const MigDir *md, int anc, int desc)
{
	int		   *stack = pg_malloc(sizeof(int) * (md->n + 1));
	bool	   *seen = pg_malloc(sizeof(bool) * (md->n + 1));
	int			sp = 0,
				i;
	bool		found = false;

	for (i = 0; i < md->n; i++)
		seen[i] = false;
	stack[sp++] = desc;
	seen[desc] = true;
	while (sp > 0 && !found)
	{
		int			cur = stack[--sp];

		if (cur == anc)
			found = true;
		for (i = 0; i < md->files[cur]->down.n; i++)
		{
			int			p = migdir_find(md, md->files[cur]->down.items[i]);

			if (!seen[p])
			{
				seen[p] = true;
				stack[sp++] = p;
			}
		}
	}
	free(stack);
	free(seen);
	return found;
}

/*
 * Resolves a revision named on the command line against the files: a full
 * id, a unique id prefix, "label" or "label@head" (the head of that
 * branch), or "head" (the single head).  Returns the index, or -1 after an
 * error message naming the candidates.
 */
int
migdir_resolve(const MigDir *md, const char *spec, const char *what)
{
	int			i,
				found = -1,
				nfound = 0;
	char	   *name = pg_strdup(spec);
	char	   *at = strchr(name, '@');
	int		   *heads;
	int			nheads = migdir_heads(md, &heads);

	if (strcmp(spec, "head") == 0)
	{
		if (nheads == 1)
			found = heads[0];
		else if (nheads == 0)
			pg_log_error("%s \"head\": there are no revision files in %s", what, md->path);
		else
			pg_log_error("%s \"head\": multiple heads are present; name one of them, or merge them with \"pg_schemamig merge\"", what);
		free(heads);
		free(name);
		return found;
	}
	if (at != NULL)
	{
		if (strcmp(at + 1, "head") != 0)
		{
			pg_log_error("%s \"%s\": only \"label@head\" is supported here", what, spec);
			free(heads);
			free(name);
			return -1;
		}
		*at = '\0';
	}
	i = migdir_find(md, name);
	if (i >= 0)
	{
		found = i;
		nfound = 1;
	}
	else
	{
		/* a branch label? */
		for (i = 0; i < md->n && nfound == 0; i++)
		{
			int			j;

			for (j = 0; j < md->files[i]->labels.n; j++)
				if (strcmp(md->files[i]->labels.items[j], name) == 0)
				{
					found = i;
					nfound = 1;
					at = at ? at : name;	/* a bare label means its head */
				}
		}
	}
	if (nfound == 0)
	{
		size_t		len = strlen(name);

		for (i = 0; i < md->n; i++)
			if (strncmp(md->files[i]->id, name, len) == 0)
			{
				if (nfound++ == 0)
					found = i;
			}
		if (nfound > 1)
		{
			pg_log_error("%s \"%s\" is ambiguous: it is a prefix of %d revisions", what, spec, nfound);
			for (i = 0; i < md->n; i++)
				if (strncmp(md->files[i]->id, name, len) == 0)
					pg_log_error_detail("candidate: %s (%s)", md->files[i]->id, md->files[i]->path);
			free(heads);
			free(name);
			return -1;
		}
	}
	if (nfound == 0)
	{
		pg_log_error("%s \"%s\": no such revision or branch label in %s", what, spec, md->path);
		free(heads);
		free(name);
		return -1;
	}
	if (at != NULL)
	{
		/* the one head descending from "found" */
		int			h = -1,
					nh = 0;

		for (i = 0; i < nheads; i++)
			if (is_ancestor(md, found, heads[i]))
			{
				h = heads[i];
				nh++;
			}
		if (nh != 1)
		{
			pg_log_error("%s \"%s\": the branch has %d heads", what, spec, nh);
			found = -1;
		}
		else
			found = h;
	}
	free(heads);
	free(name);
	return found;
}
