#!/usr/bin/python3
"""Alembic 1.8's compare_metadata on the benchmark pair: the desired
schema is reflected (not timed) from a database that ran desired.sql, its
reflected server defaults rewritten to plain text (Alembic otherwise fails
on them), then compare_metadata against the live database is timed.
Usage: diff_alembic.py LIVE_URL DESIRED_URL; prints seconds and the number
of differences."""
import sys
import threading
import time

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext



def main():
    live = sa.create_engine(sys.argv[1])
    desired = sa.create_engine(sys.argv[2])
    md = sa.MetaData()
    md.reflect(desired)
    for table in md.tables.values():
        for col in table.columns:
            if col.server_default is not None:
                col.server_default = sa.DefaultClause(sa.text(str(col.server_default.arg)))
    with live.connect() as conn:
        ctx = MigrationContext.configure(conn)
        start = time.monotonic()
        diffs = compare_metadata(ctx, md)
        elapsed = time.monotonic() - start
    print("%.3f %d" % (elapsed, len(diffs)))


# SQLAlchemy sorts the 1,000-table chain of foreign keys recursively
sys.setrecursionlimit(200000)
threading.stack_size(512 * 1024 * 1024)
t = threading.Thread(target=main)
t.start()
t.join()
