/*-------------------------------------------------------------------------
 *
 * client.h
 *	  Declarations shared by the modules of the pg_schemamig command-line
 *	  client (libpq): options, the migrations folder, the revision graph as
 *	  registered in the database, connection helpers and the commands.
 *
 * Exit codes: 0 success, 1 migration or database error, 2 usage error.
 *
 * src/client/client.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_CLIENT_H
#define SM_CLIENT_H

#include <stdbool.h>
#include <stdio.h>

#include "common/logging.h"

#include "libpq-fe.h"

/* libpq's PQExpBuffer, without the whole of postgres_fe.h */
#ifndef pg_attribute_printf
#define pg_attribute_printf(f, a) __attribute__((format(printf, f, a)))
#endif
#include "pqexpbuffer.h"
#include "revfile.h"
#include "strmap.h"			/* string -> int map, shared with the server */

#define EXIT_OK			0
#define EXIT_MIGRATION	1
#define EXIT_USAGE		2

/*
 * The SQLSTATE of the server's progress notices ("Running upgrade a -> b,
 * msg" when a revision starts, lock retries), sent when the client sets
 * schemamig.progress (pg_schemamig.h: SM_PROGRESS_SQLSTATE).
 */
#define SM_PROGRESS_SQLSTATE	"00SM1"

#define DEFAULT_DIRECTORY	"migrations"
#define CONFIG_FILE			"pg_schemamig.conf"


/* Command-line options, after the config file was read. */
typedef struct Options
{
	const char *command;
	const char *dbconn;			/* -d */
	const char *directory;		/* -D, config file, or DEFAULT_DIRECTORY */
	const char *config;			/* -c */
	const char *message;		/* -m */
	const char *head;			/* --head */
	const char *rev_id;			/* --rev-id */
	const char *range;			/* -r */
	RevFileList branch_labels;	/* --branch-label */
	RevFileList depends_on;		/* --depends-on */
	bool		verbose;
	bool		quiet;
	bool		no_sync;
	bool		sql;
	bool		offline;		/* --offline: from the files alone */
	bool		purge;
	bool		prune;
	bool		splice;
	bool		all;
	bool		indicate_current;
	bool		non_transactional;
	bool		autogenerate;	/* revision --autogenerate */
	const char *model;		/* --model MODULE */
	const char *schema_file;	/* --schema FILE.sql */
	bool		dry_run;		/* upgrade/downgrade --dry-run */
	bool		json;			/* --json */
	bool		each;			/* upgrade/downgrade --each */
	bool		orphans;		/* downgrade --orphans */
	bool		ack;			/* drift --ack */
	bool		help;			/* --help */
	const char *fail_on;		/* lint/check --fail-on */
	const char *set_clause;		/* backfill --set */
	const char *where_clause;	/* backfill --where */
	const char *batch_size;		/* backfill --batch-size */
	const char *pause;			/* backfill --pause */
	int			nargs;			/* positional arguments after the command */
	char	  **args;
} Options;

extern Options opts;


/* migdir.c: the migrations folder */
typedef struct MigDir
{
	char	   *path;
	int			n;
	RevFile   **files;			/* topological order (parents first), ties
								 * by file name */
	StrMap		byid;			/* id -> index in files */
	int			nbad;			/* files left out: they could not be read */
	char	  **bad;			/* "path:line: problem" for each */
} MigDir;

/*
 * Loads and checks the folder; "progress" (may be NULL) is called after each
 * file, so that a connection can be advanced meanwhile.
 */
extern MigDir *migdir_load(const char *path, void (*progress) (void *),
						   void *progress_arg);
extern void migdir_free(MigDir *md);
extern bool migdir_report_bad(const MigDir *md);
extern int	migdir_find(const MigDir *md, const char *id);
extern int	migdir_heads(const MigDir *md, int **heads);
extern int	migdir_resolve(const MigDir *md, const char *spec, const char *what);

/* dbgraph.c: schemamig.revision as registered */
typedef struct DbRev
{
	char	   *id;
	char	   *message;
	RevFileList down;
	RevFileList labels;
	RevFileList depends;
	bool		transactional;
	bool		reversible;
	char	   *upgrade_sql;
	char	   *downgrade_sql;
	char	   *checksum;
	int			nchildren;		/* via down_revisions (Alembic's nextrev) */
	int		   *children;
	int			ndependents;	/* via depends_on */
	bool		current;		/* in schemamig.version */
	bool		applied;		/* current, or an ancestor of a current one */
	const RevFile *file;		/* matching migration file, if any */
} DbRev;

typedef struct DbGraph
{
	int			n;
	DbRev	   *revs;			/* registration order */
	StrMap		byid;
	bool		files_known;	/* files attached: a NULL file means none */
} DbGraph;

extern DbGraph *dbgraph_load(PGconn *conn, bool with_sql);
extern DbGraph *dbgraph_from_files(const MigDir *md);
extern void dbgraph_free(DbGraph *g);
extern DbRev *dbgraph_find(const DbGraph *g, const char *id);
extern void dbgraph_attach_files(DbGraph *g, const MigDir *md);
extern char *rev_format(const DbGraph *g, const DbRev *r, bool verbose,
						bool include_branches, bool include_doc,
						bool include_parents, bool tree_indicators);
extern char *rev_down_text(const DbRev *r);

/* conn.c */
extern PGconn *db_connect_start(void);
extern void db_connect_step(void *conn);
extern PGconn *db_connect_finish(PGconn *conn);
extern void db_disconnect(PGconn *conn);
extern PGresult *db_exec(PGconn *conn, const char *sql, int nparams,
						 const char *const *params, const char *what);
extern int	db_print_json(PGconn *conn, const char *sql, const char *param,
						  const char *what);
extern bool db_command(PGconn *conn, const char *sql, const char *what);
extern bool db_command_params(PGconn *conn, const char *sql, int nparams,
							  const char *const *params, const char *what);
extern int	db_progress_lines(void);
extern void db_set_notice_graph(const DbGraph *g);
extern char *db_value(PGconn *conn, const char *sql, const char *what);
extern bool db_has_function(PGconn *conn, const char *name);
extern void db_report_error(const PGresult *res, PGconn *conn,
							const char *what, const DbGraph *g);
extern char *array_literal(const RevFileList *list);
extern void array_literal_add(PQExpBuffer buf, const char *s);
extern void array_literal_end(PQExpBuffer buf);
extern int	revision_error_line(const RevFile *rf, const char *stmt,
								const char *position);

/*
 * output.c: progress and --verbose lines; errors, warnings, details and
 * hints are libpgcommon's pg_log_error(), pg_log_warning(),
 * pg_log_error_detail() and pg_log_error_hint(), memory pg_malloc() and
 * friends (postgres_fe.h).
 */
extern void log_info(const char *fmt,...) pg_attribute_printf(1, 2);
extern void log_verbose(const char *fmt,...) pg_attribute_printf(1, 2);
extern void list_append(RevFileList *l, const char *s);
extern char *read_whole_file(const char *path);

/* cmd_orphans.c: revisions without a file in this checkout */
extern bool rev_is_orphan(const DbGraph *g, const DbRev *r);
extern bool rev_is_stray(const DbGraph *g, const DbRev *r);
extern char *orphans_list(const DbGraph *g, bool strays);
extern int	orphans_upgrade_targets(PGconn *conn, const DbGraph *g, const MigDir *md,
									const char *target, RevFileList *targets);
extern int	orphans_check_relative_downgrade(const DbGraph *g, const char *target);
extern int	orphans_downgrade(PGconn *conn, DbGraph *g,
							  void (*print_step) (const DbGraph *g, const char *rev,
												  bool up, const char *msg));

/* settings.c */
extern int	settings_set(const char *name, const char *value, bool from_flag,
						 const char *where);
extern bool settings_apply(PGconn *conn);
extern const char *settings_names(void);

/* sync.c */
extern int	cmd_sync(PGconn *conn, MigDir *md, bool explicit_sync,
					 DbGraph **out);
extern bool files_checksums(PGconn *conn, RevFile *const *files, int n, char **sums);

/* jsonout.c */
extern void json_str(PQExpBuffer b, const char *s);
extern void json_kv(PQExpBuffer b, bool first, const char *key, const char *value);
extern void json_kv_list(PQExpBuffer b, bool first, const char *key, const RevFileList *l);
extern void json_kv_bool(PQExpBuffer b, bool first, const char *key, bool value);

/* cmd_read.c, cmd_lint.c, cmd_drift.c, cmd_help.c */
extern void json_revision(PQExpBuffer b, const DbGraph *g, const DbRev *r);
extern int	print_revisions_json(PGconn *conn, const DbGraph *g, const char *sql,
								 int nparams, const char *param, const char *what);
extern int	cmd_lint(PGconn *conn);
extern int	cmd_drift(PGconn *conn);
extern int	cmd_snapshot(PGconn *conn);
extern bool drift_differences(PGconn *conn, char ***lines, int *n);
extern bool command_help(const char *command);

/* cmd_check.c */
extern int	cmd_check(PGconn *conn, const DbGraph *g, const MigDir *md, bool synced);

/* cmd_backfill.c: backfill TABLE --set ... */
extern int	cmd_backfill_check(void);
extern int	cmd_backfill_run(PGconn *conn);

/* files.c */
extern char *new_rev_id(const MigDir *md);
extern int	write_revision_file(const MigDir *md, RevFile *rf);

/* cmd_verify.c: verify, upgrade --dry-run, review */
extern int	cmd_verify(PGconn *conn, const DbGraph *g, const MigDir *md,
					   const char *target);
extern int	cmd_dry_run(PGconn *conn, const DbGraph *g, const MigDir *md,
						const char *target, bool up);
extern int	cmd_review(PGconn *conn, const DbGraph *g, const char *spec);

/* filegraph.c: commands answered from the files alone */
extern int	cmd_offline(const char *command);

/* commands.c */
extern int	cmd_init(void);
extern int	cmd_revision(void);
extern int	cmd_merge(void);
extern int	cmd_db(void);

/* pyhelper.c: the Python helpers (sm_models.py, sm_alembic.py) */
extern const char *python_command(void);
extern char *run_python_helper(const char *helper, const char *arg,
							   const char *cwd, size_t *len);

/* cmd_autogen.c: revision --autogenerate, check --model/--schema */
extern int	desired_schema_usage(const char *command);
extern char *desired_schema_ddl(void);
extern int	autogen_sections(MigDir *md, char **upgrade, char **downgrade,
							 int *steps, char **later_upgrade, char **later_downgrade);
extern void autogen_done(void);
extern int	cmd_check_desired(void);
extern PGresult *desired_diff(PGconn *conn, char *ddl);

/* cmd_alembic.c, cmd_baseline.c */
extern int	cmd_import_alembic(void);
extern int	cmd_baseline(void);
extern void acknowledge_prior_drift(PGconn *conn, const char *why);

#endif							/* SM_CLIENT_H */
