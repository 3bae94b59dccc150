#!/usr/bin/python3
"""Writes the diff benchmark's schema pair: live.sql and desired.sql.

1,000 tables x 20 columns, one foreign key per table (to the previous one),
two indexes per table, 5 enums, 50 views, 50 functions; the desired version
changes 100 tables (a column added, a type widened, an index added, a
default changed), drops 10 and adds 10.  Deterministic (no randomness)."""
import sys

def schema(desired):
    out = []
    for e in range(5):
        out.append("CREATE TYPE status%d AS ENUM ('new', 'open', 'done');" % e)
    tables = [t for t in range(1000) if not (desired and 990 <= t < 1000)]
    if desired:
        tables += list(range(1000, 1010))
    for t in tables:
        changed = desired and t % 10 == 5 and t < 1000
        cols = ["id bigint PRIMARY KEY"]
        if t > 0 and (t - 1) in tables:
            cols.append("parent_id bigint REFERENCES t%d (id)" % (t - 1))
        else:
            cols.append("parent_id bigint")
        for c in range(2, 20):
            kind = c % 6
            if kind == 0:
                typ = "varchar(%d)" % (80 if changed and c == 6 else 40)
            elif kind == 1:
                typ = "integer NOT NULL DEFAULT %d" % (1 if changed and c == 7 else 0)
            elif kind == 2:
                typ = "text"
            elif kind == 3:
                typ = "timestamptz DEFAULT now()"
            elif kind == 4:
                typ = "status%d" % (t % 5)
            else:
                typ = "numeric(12,2)"
            cols.append("c%d %s" % (c, typ))
        if changed:
            cols.append("extra text")
        out.append("CREATE TABLE t%d (\n    %s\n);" % (t, ",\n    ".join(cols)))
        out.append("CREATE INDEX t%d_c2 ON t%d (c2);" % (t, t))
        out.append("CREATE INDEX t%d_c3_c4 ON t%d (c3, c4);" % (t, t))
        if changed:
            out.append("CREATE INDEX t%d_c8 ON t%d (c8);" % (t, t))
    for v in range(50):
        out.append("CREATE VIEW v%d AS SELECT id, c2, c3 FROM t%d WHERE c7 > 0;" % (v, v * 10))
    for f in range(50):
        out.append("CREATE FUNCTION f%d(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x + %d;" % (f, f))
    return "\n".join(out) + "\n"

open(sys.argv[1] + "/live.sql", "w").write(schema(False))
open(sys.argv[1] + "/desired.sql", "w").write(schema(True))
