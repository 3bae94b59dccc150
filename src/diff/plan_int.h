/*-------------------------------------------------------------------------
 *
 * plan_int.h
 *	  The planner's internal state, shared by plan.c, plan_alter.c,
 *	  plan_partition.c and plan_order.c.
 *
 * src/diff/plan_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_PLAN_INT_H
#define SM_PLAN_INT_H

#include "diff.h"

struct PEnt;

/* one unit of ordering: a drop, an in-place alter or a create */
typedef struct Action
{
	int			phase;			/* 0 drop, 1 alter, 2 create */
	DiffKind	kind;
	int			seq;
	struct PEnt *ent;
	List	   *steps;			/* DiffStep * */
	List	   *folded;			/* objects dropped (or created) with it */
	List	   *out;			/* Action * that must come after */
	int			nin;
	bool		emitted;
} Action;

typedef struct PEnt
{
	const char *key;			/* an object's key (or a string as lasting) */
	DiffObj    *from;
	DiffObj    *to;
	bool		drop;
	bool		create;
	bool		alter;
	bool		rebuild;
	bool		typechange;		/* column: type or collation */
	bool		dance;			/* type: rename aside, create, convert, drop */
	bool		closure;		/* rebuild dependents (enum changes) */
	bool		attach;			/* partitioned index: attaches partition indexes */
	bool		notnullfrom;	/* partition's column: NOT NULL before its own change */
	List	   *dancecols;		/* PEnt * of columns a type rebuild converts */
	Action	   *dropact;
	Action	   *alteract;
	Action	   *createact;
	Action	   *replact;		/* REPLICA IDENTITY USING INDEX, after the index */
} PEnt;

typedef struct Planner
{
	DiffModel  *from;
	DiffModel  *to;
	HTAB	   *entries;
	List	   *all;			/* PEnt * */
	List	   *actions;		/* Action * */
} Planner;

extern PEnt *plan_entry(Planner *p, const char *key);
extern PEnt *plan_find(Planner *p, const char *key);
extern Action *plan_new_action(Planner *p, PEnt *e, int phase);
extern void plan_step(Action *a, const char *up, const char *down, const char *hazard);

/* plan_alter.c */
extern void plan_alter_steps(Planner *p, PEnt *e, Action *a);
extern void plan_fill_steps(Planner *p);
extern void plan_replident_step(Planner *p, PEnt *e);

/* plan_partition.c */
extern bool plan_partitioned_key(DiffModel *m, DiffObj *o);
extern void plan_partition_prepare(Planner *p);
extern void plan_partition_classify(Planner *p, PEnt *e);
extern void plan_partition_column(PEnt *e, Action *a);
extern void plan_partition_attach(Planner *p, PEnt *e, Action *a);
extern void plan_partition_attach_table(Planner *p, Action *a, DiffObj *f, DiffObj *t);
extern bool plan_partition_fill(Planner *p, Action *a, const char *hazard);
extern char *plan_partition_drop_table(DiffModel *m, DiffObj *t);
extern void plan_partition_table_extras(StringInfo buf, DiffModel *m, DiffObj *t);
extern void plan_partition_validate_children(StringInfo buf, DiffModel *m, DiffObj *k);

/* plan_order.c */
extern List *plan_order(Planner *p);

/* plan_sql.c helpers */
extern char *diff_identity_opts(const char *opts, bool alter);
extern char *diff_seq_opts(const char *opts);
extern char *diff_type_sql(DiffObj *t, const char *qname);

#endif							/* SM_PLAN_INT_H */
