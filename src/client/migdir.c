/*-------------------------------------------------------------------------
 *
 * migdir.c
 *	  The migrations folder: reads every <rev>_<slug>.sql file, checks the
 *	  set as a whole (duplicate ids and labels here; unknown parents and
 *	  dependencies and cycles with the shared graph engine's checks) and
 *	  orders it parents first, so that revisions
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
#include "sm_common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "graph.h"

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

/* the files as revisions, for the graph engine's checks */
static SmRevision **
revisions_of_files(RevFile **files, int n)
{
	SmRevision **revs = palloc(sizeof(SmRevision *) * (n ? n : 1));
	int			i,
				j;

	for (i = 0; i < n; i++)
	{
		SmRevision *r = palloc0(sizeof(SmRevision));

		r->index = i;
		r->id = files[i]->id;
		for (j = 0; j < files[i]->down.n; j++)
			r->down = lappend(r->down, files[i]->down.items[j]);
		for (j = 0; j < files[i]->labels.n; j++)
			r->labels = lappend(r->labels, files[i]->labels.items[j]);
		for (j = 0; j < files[i]->depends.n; j++)
			r->depends = lappend(r->depends, files[i]->depends.items[j]);
		revs[i] = r;
	}
	return revs;
}

/*
 * check_parents reports the first unknown down_revision or depends_on (in
 * file order) and else a cycle, with the graph engine's checks (the ones
 * check() runs in the server).  Returns false after reporting.
 */
static bool
check_parents(RevFile **files, int n, const StrMap *byid, const char *path)
{
	SmRevision **revs = revisions_of_files(files, n);
	List	   *missing = graph_missing_parents(revs, n);
	List	   *cycle;
	ListCell   *lc;

	if (missing != NIL)
	{
		SmMissingParent *first = NULL;

		foreach(lc, missing)
		{
			SmMissingParent *m = lfirst(lc);
			bool		m_down = strcmp(m->kind, "down_revision") == 0;
			bool		f_down = first && strcmp(first->kind, "down_revision") == 0;

			if (first == NULL || m->index < first->index ||
				(m->index == first->index &&
				 (m_down > f_down || (m_down == f_down && m->position < first->position))))
				first = m;
		}
		if (strcmp(first->kind, "down_revision") == 0)
			pg_log_error("%s:%d: unknown down_revision \"%s\" (no file in %s has that revision)",
					  files[first->index]->path, files[first->index]->down_line, first->name, path);
		else
			pg_log_error("%s:%d: unknown depends_on \"%s\" (neither a revision nor a branch label in %s)",
					  files[first->index]->path, files[first->index]->depends_line, first->name, path);
		return false;
	}
	cycle = graph_cycle_path(revs, n);
	if (cycle != NIL)
	{
		const RevFile *f = files[strmap_get(byid, linitial(cycle))];
		StringInfoData text;

		initStringInfo(&text);
		foreach(lc, cycle)
			appendStringInfo(&text, "%s%s", text.len > 0 ? " -> " : "", (char *) lfirst(lc));
		pg_log_error("%s:%d: cycle among revision files: %s (each revision names the next as its down_revision or depends_on)",
				  f->path, f->down_line, text.data);
		return false;
	}
	return true;
}

MigDir *
migdir_load(const char *path, void (*progress) (void *), void *progress_arg)
{
	char	  **names;
	int			dfd = -1;
	int			n = list_sql_files(path, &names, &dfd);
	RevFile   **files;
	StrMap		byid,
				bylabel;
	int		   *pending;
	int		  **children;
	int		   *nchildren;
	Heap		heap;
	MigDir	   *md;
	int			i,
				j,
				nnames,
				done = 0;
	bool		ok = true;

	if (n < 0)
		return NULL;
	nnames = n;
	files = pg_malloc(sizeof(RevFile *) * (n ? n : 1));
	strmap_init(&byid, n);
	strmap_init(&bylabel, n);
	for (i = 0; i < n && ok; i++)
	{
		char	   *err = NULL;
		size_t		idlen;

		files[i] = read_one(dfd, path, names[i], &err);
		if (progress)
			progress(progress_arg);
		if (files[i] == NULL)
		{
			pg_log_error("%s", err ? err : "out of memory");
			free(err);
			ok = false;
			break;
		}
		idlen = strlen(files[i]->id);
		if (strncmp(names[i], files[i]->id, idlen) != 0 ||
			(names[i][idlen] != '_' && strcmp(names[i] + idlen, ".sql") != 0))
		{
			pg_log_error("%s:%d: file name does not start with its revision id \"%s\"",
					  files[i]->path, files[i]->id_line, files[i]->id);
			pg_log_error_hint("Name the file %s_<slug>.sql.", files[i]->id);
			ok = false;
			i++;
			break;
		}
		j = strmap_get(&byid, files[i]->id);
		if (j >= 0)
		{
			pg_log_error("%s:%d: duplicate revision \"%s\" (also in %s)",
					  files[i]->path, files[i]->id_line, files[i]->id, files[j]->path);
			ok = false;
			i++;
			break;
		}
		strmap_put(&byid, files[i]->id, i);
	}
	n = i;						/* files read so far, for freeing */
	close(dfd);

	/* branch labels are unique and never shadow a revision id */
	for (i = 0; i < n && ok; i++)
	{
		for (j = 0; j < files[i]->labels.n && ok; j++)
		{
			const char *l = files[i]->labels.items[j];
			int			other = strmap_get(&bylabel, l);

			if (other >= 0)
			{
				pg_log_error("%s:%d: branch label \"%s\" is also declared by %s",
						  files[i]->path, files[i]->labels_line, l, files[other]->path);
				ok = false;
			}
			else if (strmap_get(&byid, l) >= 0)
			{
				pg_log_error("%s:%d: branch label \"%s\" is also a revision id",
						  files[i]->path, files[i]->labels_line, l);
				ok = false;
			}
			else
				strmap_put(&bylabel, l, i);
		}
	}

	/* unknown parents and dependencies, cycles */
	if (ok)
		ok = check_parents(files, n, &byid, path);

	md = NULL;
	if (ok)
	{
		/* Kahn's algorithm; ready files leave in file-name order */
		RevFile   **ordered = pg_malloc(sizeof(RevFile *) * (n ? n : 1));

		pending = pg_malloc(sizeof(int) * (n ? n : 1));
		nchildren = pg_malloc(sizeof(int) * (n ? n : 1));
		children = pg_malloc(sizeof(int *) * (n ? n : 1));
		heap.a = pg_malloc(sizeof(int) * (n ? n : 1));
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
			if (pending[i] == 0)
				heap_push(&heap, i);
		while (heap.n > 0)
		{
			int			cur = heap_pop(&heap);

			ordered[done++] = files[cur];
			for (j = 0; j < nchildren[cur]; j++)
				if (--pending[children[cur][j]] == 0)
					heap_push(&heap, children[cur][j]);
		}
		if (done < n)
		{
			/* check_parents found no cycle: cannot happen */
			pg_log_error("could not order the migration files");
			ok = false;
		}
		for (i = 0; i < n; i++)
			free(children[i]);
		free(children);
		free(nchildren);
		free(pending);
		free(heap.a);
		if (ok)
		{
			md = pg_malloc(sizeof(MigDir));
			md->path = pg_strdup(path);
			md->n = n;
			md->files = ordered;
			strmap_init(&md->byid, n);
			for (i = 0; i < n; i++)
				strmap_put(&md->byid, ordered[i]->id, i);
		}
		else
			free(ordered);
	}
	strmap_free(&byid);
	strmap_free(&bylabel);
	if (md == NULL)
		for (i = 0; i < n; i++)
			revfile_free(files[i]);
	free(files);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return md;
}

void
migdir_free(MigDir *md)
{
	int			i;

	if (md == NULL)
		return;
	for (i = 0; i < md->n; i++)
		revfile_free(md->files[i]);
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
