/*-------------------------------------------------------------------------
 *
 * graph.h
 *	  The in-memory revision graph and Alembic's algorithms over it:
 *	  heads, bases, target resolution, upgrade/downgrade step order and the
 *	  version-table ("head maintainer") bookkeeping.
 *
 * The shared engine (src/common): pure computation over palloc'd memory,
 * compiled into the server library and into the client.  Callers feed it
 * revisions: the server from schemamig.revision (graph_load, in
 * src/graph/graph_load.c), the client from the migration files.  Ties
 * between parallel lines are broken by registration order (SmRevision.index),
 * as Alembic breaks them by load order.  Errors are raised with ereport
 * (in the client, sm_common.h's version of it).
 *
 * src/common/graph.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_GRAPH_H
#define SM_GRAPH_H

#include "sm_common.h"

#include "names.h"
#include "revision.h"

typedef struct SmGraph SmGraph;

/* One step of an upgrade or downgrade. */
typedef struct SmStep
{
	SmRevision *rev;
	bool		upgrade;		/* false: downgrade */
} SmStep;

#ifndef FRONTEND
/*
 * Server only (src/graph/graph_load.c): load every revision of
 * schemamig.revision in registration order and build the graph.  Requires a
 * connected SPI.  Memory comes from CurrentMemoryContext.
 */
extern SmGraph *graph_load(bool with_sql);
#endif

/*
 * Build and validate the graph of revisions given in registration order
 * (as the catalog or the migration files give them).
 */
extern SmGraph *graph_build(SmRevision **revs, int n);

/* A down revision or dependency that names nothing (graph_missing_parents). */
typedef struct SmMissingParent
{
	int			index;			/* the revision's position in the input */
	const char *id;				/* the revision */
	const char *kind;			/* "down_revision" or "depends_on" */
	const char *name;			/* what it names */
	int			position;		/* its place in the revision's list, 0-based */
} SmMissingParent;

/*
 * Checks over revisions not yet built into a graph, reporting every problem
 * where graph_build stops at the first (check(), the client's files).
 */
extern List *graph_missing_parents(SmRevision **revs, int n);
extern List *graph_unreachable(SmRevision **revs, int n);

/* heads, real heads, bases, real bases (graph_revision_set) */
typedef enum SmRevisionSet
{
	SM_SET_HEADS,
	SM_SET_REAL_HEADS,
	SM_SET_BASES,
	SM_SET_REAL_BASES
} SmRevisionSet;

extern List *graph_revision_set(SmGraph *g, SmRevisionSet which);

/* what history() and show() print of a revision (graph_describe) */
typedef struct SmRevisionInfo
{
	List	   *children;		/* SmRevision *: children through down revisions */
	List	   *labels;			/* char *: effective branch labels, sorted */
	int			nparents;		/* down revisions */
} SmRevisionInfo;

extern void graph_describe(SmGraph *g, const SmRevision *rev, SmRevisionInfo *info);
extern List *graph_version_revisions(SmGraph *g, List *heads, const char *what);
extern List *graph_current_revisions(SmGraph *g, List *heads, const char *what);
extern const char *graph_resolve_dependency(SmGraph *g, const char *name);
extern void graph_check_no_ancestors(SmGraph *g, List *revs);
extern bool graph_is_branch_point(SmGraph *g, const SmRevision *rev);
extern List *graph_dependents(SmGraph *g, const SmRevision *rev);

extern int	graph_count(SmGraph *g);

/* registration index of a revision id / of a branch label's revision; -1 */
extern int	graph_index_of(SmGraph *g, const char *id);
extern int	graph_label_index(SmGraph *g, const char *label);
extern SmRevision *graph_revision(SmGraph *g, int index);
extern SmRevision *graph_find(SmGraph *g, const char *id);

/* Real heads (Alembic's get_revisions("heads")), registration order: List of char *. */
extern List *graph_heads(SmGraph *g);

/*
 * Ordered steps that "alembic upgrade <target>" / "alembic downgrade
 * <target>" would run from the version-table state "heads" (List of char *,
 * in version-table order).  Errors (unknown/ambiguous target, several heads
 * for "head", a target that is not reachable in that direction) are raised
 * with ereport.
 */
extern List *graph_upgrade_steps(SmGraph *g, List *heads, const char *target);
extern List *graph_downgrade_steps(SmGraph *g, List *heads, const char *target);

/*
 * True when "rev" is applied in version-table state "heads": a version row
 * is the revision or reaches it through down revisions and dependencies.
 */
extern bool graph_is_applied(SmGraph *g, List *heads, const SmRevision *rev);
extern List *graph_redundant_rows(SmGraph *g, List *rows);

/*
 * True when "target" names a state behind the current heads, so that a
 * direction-less caller (plan) should downgrade to reach it.
 */
extern bool graph_is_downgrade_target(SmGraph *g, List *heads, const char *target);

/*
 * The version table after running one step from "heads", with Alembic's
 * HeadMaintainer semantics: an entry that is replaced keeps its position,
 * new entries are appended.  Returns a new List of char *.
 */
extern List *graph_heads_after_step(SmGraph *g, List *heads, const SmStep *step);

/*
 * The version table after "alembic stamp <targets> [--purge]" from "heads".
 */
extern List *graph_stamp_heads(SmGraph *g, List *heads, List *targets, bool purge);

#endif							/* SM_GRAPH_H */
