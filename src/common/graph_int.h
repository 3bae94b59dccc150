/*-------------------------------------------------------------------------
 *
 * graph_int.h
 *	  Internals of the revision graph shared by graph.c, target.c and
 *	  steps.c (and, for now, the server's revisions.c): adjacency arrays, lookup, walks and Alembic's
 *	  target-resolution primitives.
 *
 * Revisions are addressed by their registration index.  Adjacency lists
 * keep registration order wherever Alembic iterates a set, so that ties are
 * broken the same way on every run.
 *
 * src/common/graph_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_GRAPH_INT_H
#define SM_GRAPH_INT_H

#include "graph.h"
#include "strmap.h"

/* Results of a walk (Alembic's _walk) besides a revision index. */
#define SM_WALK_NONE	(-1)		/* walked off the graph ("None") */
#define SM_WALK_BASE	(-2)		/* the symbolic "base" below a base */

/* An int array with its length. */
typedef struct SmIdx
{
	int			n;
	int		   *v;
} SmIdx;

/* graph.c's per-revision data (SmRevision.priv) */
typedef struct SmRevNode
{
	SmIdx		down;			/* versioned down revisions */
	SmIdx		deps;			/* resolved dependencies */
	SmIdx		normdeps;		/* dependencies not implied by ancestors */
	SmIdx		normdown;		/* down + normdeps, deduplicated */
	SmIdx		alldown;		/* down + deps, deduplicated */
	SmIdx		next;			/* children through down revisions */
	SmIdx		allnext;		/* children through down or dependencies */
	List	   *eff_labels;		/* char *: effective branch labels, sorted */
} SmRevNode;

/* Which edges a walk follows. */
typedef enum SmEdges
{
	SM_EDGE_DOWN,				/* versioned down revisions */
	SM_EDGE_NORMDOWN,			/* down + normalized dependencies */
	SM_EDGE_ALLDOWN,			/* down + all dependencies */
	SM_EDGE_NEXT,				/* children through down revisions */
	SM_EDGE_ALLNEXT				/* children through down or dependencies */
} SmEdges;

struct SmGraph
{
	int			n;
	SmRevision **revs;
	StrMap		ids;			/* id -> index */
	StrMap		labels;			/* declared label -> index */
	List	   *label_keys;		/* char *: labels in map order */
	SmIdx		heads;			/* no children through down revisions */
	SmIdx		real_heads;		/* no children at all */
	SmIdx		bases;			/* no down revisions */
	SmIdx		real_bases;		/* no down revisions, no dependencies */
	SmRevNode  *nodes;			/* per-revision data, contiguous (priv) */
	int		   *walk_stack;		/* scratch stack of graph_walk, n entries */
	int		   *nd_off;			/* normdown of all revisions, compressed: */
	int		   *nd_adj;			/* revision i's are nd_adj[nd_off[i] .. nd_off[i+1]) */
	int		   *topo_pos;		/* a topological position: ancestors come first */
	uint32	   *mark;			/* scratch marks of graph_reaches, by generation */
	uint32		mark_gen;
};

#define SM_NODE(g, i)	(&(g)->nodes[i])

/* A growable int array. */
typedef struct SmIntBuf
{
	int			n;
	int			cap;
	int		   *v;
} SmIntBuf;

static inline void
intbuf_push(SmIntBuf *b, int x)
{
	if (b->n >= b->cap)
	{
		b->cap = b->cap ? b->cap * 2 : 16;
		b->v = b->v ? repalloc(b->v, sizeof(int) * b->cap) : palloc(sizeof(int) * b->cap);
	}
	b->v[b->n++] = x;
}

static inline bool
idx_contains(SmIdx s, int x)
{
	int			i;

	for (i = 0; i < s.n; i++)
		if (s.v[i] == x)
			return true;
	return false;
}

static inline SmIdx
intbuf_to_idx(SmIntBuf *b)
{
	SmIdx		r;

	r.n = b->n;
	r.v = b->n ? b->v : palloc(sizeof(int));
	return r;
}


/* graph.c */
extern bool *graph_walk(SmGraph *g, const int *starts, int nstarts, SmEdges edges);
extern void graph_walk_into(SmGraph *g, const int *starts, int nstarts, SmEdges edges,
							bool *seen);
extern bool graph_shares_lineage(SmGraph *g, int target, const int *against,
								 int nagainst, bool include_deps);
extern bool graph_reaches(SmGraph *g, const int *from, int nfrom, int target);
extern bool graph_has_label(SmGraph *g, int idx, const char *label);
extern List *graph_topological_sort(SmGraph *g, const bool *todo, const int *heads,
									int nheads);
extern SmIdx graph_version_rows(SmGraph *g, List *heads, const char *what);
extern SmIdx graph_all_current(SmGraph *g, SmIdx cur);
extern void graph_check_overlap(SmGraph *g, SmIdx revs);

/* target.c: Alembic's RevisionMap resolution primitives (indexes) */
extern int	target_revision_for_ident(SmGraph *g, const char *ident,
									  const char *check_branch);
extern List *target_get_revisions(SmGraph *g, const char *target);
extern int	target_get_revision(SmGraph *g, const char *target);
extern SmIdx target_filter_for_lineage(SmGraph *g, SmIdx targets,
									   const char *check_against,
									   bool include_deps);
extern int	target_walk(SmGraph *g, int start, int steps, const char *label,
						bool no_overwalk);
extern List *target_parse_upgrade(SmGraph *g, List *current, const char *target,
								  bool no_overwalk);
extern int	target_resolve_branch(SmGraph *g, const char *name);
extern int	target_parse_downgrade(SmGraph *g, List *current, const char *target,
								   char **branch_label, bool assert_relative_length);
extern void target_error_not_here(const char *target, const char *what);

#endif							/* SM_GRAPH_INT_H */
