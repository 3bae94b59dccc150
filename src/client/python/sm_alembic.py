"""sm_alembic.py: reads an Alembic project for "pg_schemamig import-alembic".

    python3 sm_alembic.py DIR

DIR holds alembic.ini (or is the script location itself, with env.py).  The
project is read with the Alembic installed for this Python (the user's own):
the script directory API gives each revision's id, parents, branch labels,
depends_on, message and file name; each revision's SQL comes from Alembic's
offline mode (what "alembic upgrade A:B --sql" prints), run through the
project's own env.py against the PostgreSQL dialect, one revision and one
direction at a time.  Alembic's own bookkeeping is left out: no version
table statements, no BEGIN/COMMIT (pg_schemamig keeps its own version table
and runs each revision in a transaction).

Output on stdout, for the C client: one record per revision, parents first;
each field is a line "KEY LENGTH" followed by LENGTH bytes of UTF-8 and a
newline; a record ends with the line "end".  Keys: revision, file, down,
labels, depends, message (lists comma-separated), transactional (true or
false), upgrade, downgrade, upgrade-error, downgrade-error.  A last record
without "revision" names env.py's version table: version-table,
version-table-schema (empty: found through the search_path).  Problems of the
project as a whole go to stderr with exit status 1.

This file is installed next to the pg_schemamig client.
"""

import io
import os
import sys
import traceback


def field(out, key, value):
    data = value.encode("utf-8")
    out.write(("%s %d\n" % (key, len(data))).encode("ascii"))
    out.write(data)
    out.write(b"\n")


def as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: sm_alembic.py DIR\n")
        return 2
    project = os.path.abspath(argv[1])
    try:
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        from alembic.runtime.environment import EnvironmentContext
        from alembic.runtime import migration
        from alembic.ddl import impl as ddl_impl
    except ImportError as e:
        sys.stderr.write("Alembic is not installed for %s: %s\n" % (sys.executable, e))
        return 1

    ini = os.path.join(project, "alembic.ini")
    if os.path.isfile(ini):
        # script_location is relative to the folder Alembic runs in
        os.chdir(project)
        cfg = Config(ini)
    elif os.path.isfile(os.path.join(project, "env.py")):
        cfg = Config()
        cfg.set_main_option("script_location", project)
    else:
        sys.stderr.write("%s holds neither alembic.ini nor env.py\n" % project)
        return 1
    url = cfg.get_main_option("sqlalchemy.url")
    if not url or not url.split(":", 1)[0].split("+", 1)[0].startswith("postgres"):
        # offline mode compiles for the dialect of this URL: PostgreSQL's
        cfg.set_main_option("sqlalchemy.url", "postgresql://")

    try:
        script = ScriptDirectory.from_config(cfg)
        revs = list(script.walk_revisions("base", "heads"))
    except Exception as e:
        sys.stderr.write("could not read the Alembic scripts: %s\n" % e)
        return 1
    revs.reverse()                  # parents first

    # One revision, one direction: the project's env.py configures the
    # offline context as it always does; run_migrations() then runs just
    # that revision's function, with no version table and no transaction
    # statements.
    job = {}

    def run_one(self, **kw):
        self.impl.start_migrations()
        fn = job["script"].module.upgrade if job["up"] else job["script"].module.downgrade
        fn(**kw)

    real_autocommit = migration.MigrationContext.autocommit_block

    def autocommit_block(self):
        job["nontx"] = True
        return real_autocommit(self)

    migration.MigrationContext.run_migrations = run_one
    migration.MigrationContext.autocommit_block = autocommit_block
    ddl_impl.DefaultImpl.emit_begin = lambda self: None
    ddl_impl.DefaultImpl.emit_commit = lambda self: None

    version_table = {}

    def render(rev, up):
        buf = io.StringIO()
        job.clear()
        job.update(script=rev, up=up)
        cfg.output_buffer = buf
        with EnvironmentContext(cfg, script, fn=lambda heads, ctx: [], as_sql=True,
                                starting_rev=None, destination_rev=rev.revision) as env:
            script.run_env()
            ctx = env.get_context()
            version_table.update(name=ctx.version_table, schema=ctx.version_table_schema or "")
        return buf.getvalue().strip(), job.get("nontx", False)

    out = sys.stdout.buffer
    for rev in revs:
        field(out, "revision", rev.revision)
        field(out, "file", os.path.splitext(os.path.basename(rev.path))[0])
        field(out, "down", ",".join(as_list(rev.down_revision)))
        # the labels this revision declares (rev.branch_labels adds the
        # ones it inherits from its ancestors)
        labels = getattr(rev, "_orig_branch_labels", None)
        if labels is None:
            labels = getattr(rev.module, "branch_labels", None)
        field(out, "labels", ",".join(as_list(labels)))
        field(out, "depends", ",".join(as_list(rev.dependencies)))
        field(out, "message", " ".join((rev.doc or "").split("\n")).strip())
        nontx = False
        try:
            up, nontx = render(rev, True)
            field(out, "upgrade", up)
        except Exception as e:
            field(out, "upgrade-error", describe(e))
            up = None
        if up is not None:
            try:
                down, nontx_down = render(rev, False)
                nontx = nontx or nontx_down
                if down == "" and up != "":
                    field(out, "downgrade-error", "its downgrade() renders no SQL")
                else:
                    field(out, "downgrade", down)
            except Exception as e:
                field(out, "downgrade-error", describe(e))
        field(out, "transactional", "false" if nontx else "true")
        out.write(b"end\n")
    # where env.py keeps Alembic's version table (version_table,
    # version_table_schema), for adopting a database
    if version_table:
        field(out, "version-table", version_table["name"])
        field(out, "version-table-schema", version_table["schema"])
        out.write(b"end\n")
    out.flush()
    return 0


def describe(e):
    """An exception as "Type: message (file:line)" of the innermost frame in a
    migration script."""
    where = ""
    for fs in traceback.extract_tb(e.__traceback__):
        if fs.filename.endswith(".py") and "/site-packages/" not in fs.filename \
                and "/dist-packages/" not in fs.filename:
            where = " (%s:%d)" % (os.path.basename(fs.filename), fs.lineno)
    msg = str(e).strip().split("\n")[0]
    return "%s%s%s" % (type(e).__name__, ": " + msg if msg else "", where)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
