/*-------------------------------------------------------------------------
 *
 * pyhelper.c
 *	  Running the Python helpers that ship with the client (sm_models.py:
 *	  SQLAlchemy/SQLModel metadata as PostgreSQL DDL; sm_alembic.py: an
 *	  Alembic project's revisions and offline SQL) with the user's own
 *	  Python, and capturing what they print.
 *
 * The helpers are installed next to the client program; they are found
 * through the program's own path (/proc/self/exe, so a symbolic link on
 * PATH works), else in the bindir the client was built for.
 * PG_SCHEMAMIG_HELPER_DIR overrides both (a source tree).  The interpreter
 * is $PYTHON, else python3 from PATH: the user's Python, which has their
 * SQLAlchemy, SQLModel, Alembic and application modules.
 *
 * src/client/pyhelper.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"

/* The folder holding the helper scripts (malloc'd). */
static char *
helper_dir(void)
{
	const char *env = getenv("PG_SCHEMAMIG_HELPER_DIR");
	char		exe[PATH_MAX];
	ssize_t		n;

	if (env != NULL && *env != '\0')
		return pg_strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0)
	{
		char	   *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL)
		{
			*slash = '\0';
			return pg_strdup(exe);
		}
	}
	return pg_strdup(SM_CLIENT_BINDIR);
}

/* The interpreter to run: $PYTHON, else python3 (from PATH). */
const char *
python_command(void)
{
	const char *p = getenv("PYTHON");

	return (p != NULL && *p != '\0') ? p : "python3";
}

/*
 * Runs "python HELPER ARG" in folder "cwd" (NULL: the current one) and
 * returns what it printed on stdout (malloc'd, NUL-terminated, *len set), or
 * NULL after reporting the failure.  The helper's stderr goes to ours.
 */
char *
run_python_helper(const char *helper, const char *arg, const char *cwd,
				  size_t *len)
{
	char	   *dir = helper_dir();
	char	   *script = psprintf("%s/%s", dir, helper);
	const char *python = python_command();
	struct stat st;
	int			pipefd[2];
	pid_t		pid;
	char	   *buf;
	size_t		n = 0,
				cap = 65536;
	int			status;

	free(dir);
	if (stat(script, &st) != 0)
	{
		pg_log_error("could not find the helper %s: %s", script, strerror(errno));
		pg_log_error_hint("Reinstall pg_schemamig, or set PG_SCHEMAMIG_HELPER_DIR to the folder holding %s.", helper);
		free(script);
		return NULL;
	}
	if (pipe(pipefd) != 0)
	{
		pg_log_error("could not create a pipe: %s", strerror(errno));
		free(script);
		return NULL;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
	{
		pg_log_error("could not start %s: %s", python, strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		free(script);
		return NULL;
	}
	if (pid == 0)
	{
		close(pipefd[0]);
		if (dup2(pipefd[1], STDOUT_FILENO) < 0)
			_exit(127);
		close(pipefd[1]);
		if (cwd != NULL && chdir(cwd) != 0)
		{
			fprintf(stderr, "pg_schemamig: error: could not change to folder %s: %s\n",
					cwd, strerror(errno));
			_exit(126);
		}
		execlp(python, python, script, arg, (char *) NULL);
		fprintf(stderr, "pg_schemamig: error: could not run %s: %s\n", python, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	buf = pg_malloc(cap);
	for (;;)
	{
		ssize_t		r;

		if (n + 4096 > cap)
			buf = pg_realloc(buf, cap *= 2);
		r = read(pipefd[0], buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
	}
	close(pipefd[0]);
	buf[n] = '\0';
	while (waitpid(pid, &status, 0) < 0)
	{
		if (errno != EINTR)
		{
			status = -1;
			break;
		}
	}
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
	{
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			pg_log_error("could not run \"%s\" (set PYTHON, or put python3 on PATH)", python);
		else
			pg_log_error("%s %s %s failed%s", python, helper, arg,
					  WIFEXITED(status) ? "" : " (killed by a signal)");
		free(script);
		free(buf);
		return NULL;
	}
	free(script);
	*len = n;
	return buf;
}
