/*-------------------------------------------------------------------------
 *
 * target.h
 *	  Resolution of revision targets (head, heads, base, ids and unique
 *	  prefixes, label@head, label@base, rev@head, relative +N/-N forms) over
 *	  a loaded revision graph, with Alembic's semantics.
 *
 * The syntax itself is parsed by src/common/target_parse.c.
 *
 * src/common/target.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_TARGET_H
#define SM_TARGET_H

#include "graph.h"
#include "target_parse.h"

/*
 * The revisions a target names (Alembic's get_revisions): a List of
 * SmRevision *, empty for "base"; "heads" gives several.  Relative forms
 * other than -N and label@-N are refused.  A NULL element stands for a walk
 * that ended below a base.
 */
extern List *target_resolve(SmGraph *g, const char *target);

/* Parse "text" or raise a 22023 error naming it. */
extern void target_parse_or_error(const char *text, SmTargetSyntax *out);

/*
 * history(range): revisions of Alembic's "history -r lower:upper" (NULL
 * range: everything), newest first, as a List of SmRevision *.  "current"
 * on either side stands for the version table's heads ("heads").
 */
extern List *target_history(SmGraph *g, const char *range, List *current);

/* show(target): the revisions a target names, base left out */
extern List *target_show(SmGraph *g, const char *target);

/* branches(): the branch points, newest first */
extern List *target_branch_points(SmGraph *g);

#endif							/* SM_TARGET_H */
