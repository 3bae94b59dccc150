#!/usr/bin/env python3
"""Compare schemamig.lint() with squawk; called by test/bench/lint_bench.sh."""
import argparse
import collections
import glob
import json
import os
import re
import shlex
import statistics
import subprocess
import time

# Hazard class -> rules of either tool that report it (squawk shares names).
CLASSES = {
    "lock": {"require-concurrent-index-creation", "require-concurrent-index-deletion",
             "require-concurrent-reindex", "require-concurrent-partition-detach",
             "constraint-missing-not-valid", "adding-foreign-key-constraint",
             "disallowed-unique-constraint", "adding-serial-primary-key-field",
             "adding-exclusion-constraint", "adding-not-nullable-field", "backfilling-data",
             "ban-create-domain-with-constraint", "ban-alter-domain-with-add-constraint"},
    "rewrite": {"adding-field-with-default", "changing-column-type", "table-rewrite",
                "prefer-repack"},
    "data": {"adding-required-field", "ban-truncate"},
    "compat": {"ban-drop-column", "renaming-column", "renaming-table", "ban-drop-not-null",
               "renaming-enum-value", "dropping-constraint", "dropping-object",
               "ban-drop-table"},
    "destructive": {"ban-drop-table", "ban-drop-schema", "ban-drop-database", "ban-truncate",
                    "ban-truncate-cascade", "dropping-object", "ban-drop-column"},
    "types": {"prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity",
              "prefer-text-field", "prefer-timestamptz", "ban-char-field", "prefer-jsonb",
              "identifier-too-long"},
    "txn": {"transaction-nesting", "ban-uncommitted-transaction",
            "ban-concurrent-index-creation-in-transaction", "unsafe-enum-value-use"},
    "other": {"authz-update", "opaque-code"},
}


def dq(text):
    tag = "q"
    while "$%s$" % tag in text:
        tag += "x"
    return "$%s$%s$%s$" % (tag, text, tag)


def run(cmd, stdin=None):
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True)


def lint_files(psql, files):
    """rule lists (severity warning/error) per file, and the wall time."""
    sql = "".join(
        "SELECT %s || '|' || COALESCE(string_agg(rule, ' ' ORDER BY rule), '') "
        "FROM schemamig.lint(%s) WHERE severity <> 'info';\n"
        % (dq(os.path.basename(f)), dq(open(f).read())) for f in files)
    t0 = time.perf_counter()
    r = run(shlex.split(psql), sql)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit("psql failed: " + r.stderr[:500])
    out = {}
    for line in r.stdout.splitlines():
        name, _, rules = line.partition("|")
        out[name] = rules.split()
    return out, dt


def squawk_files(squawk, files):
    t0 = time.perf_counter()
    r = run([squawk, "--reporter", "json"] + files)
    dt = time.perf_counter() - t0
    out = {os.path.basename(f): [] for f in files}
    for v in json.loads(r.stdout or "[]"):
        if v.get("level", "").lower() in ("warning", "error"):
            out[os.path.basename(v["file"])].append(v["rule_name"])
    return out, dt


def header(text, key):
    m = re.search(r"^-- %s: (.*)$" % key, text, re.M)
    return m.group(1).strip() if m else None


def median_time(cmd, stdin=None, n=5):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        run(cmd, stdin)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--psql", required=True)
    ap.add_argument("--squawk", required=True)
    ap.add_argument("--workload", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    version = run([a.squawk, "--version"]).stdout.strip()
    files = sorted(glob.glob("test/lint/snippets/*.sql"))
    lint, lint_t = lint_files(a.psql, files)
    sq, sq_t = squawk_files(a.squawk, files)

    stats = collections.OrderedDict()
    fps = {"lint": [], "squawk": []}
    fns = {"lint": [], "squawk": []}
    for f in files:
        text = open(f).read()
        name = os.path.basename(f)
        cls, truth = header(text, "class"), header(text, "truth")
        s = stats.setdefault(cls, {"unsafe": 0, "safe": 0,
                                   "lint": [0, 0], "squawk": [0, 0]})
        s[truth] += 1
        for tool, res in (("lint", lint), ("squawk", sq)):
            flagged = any(r in CLASSES[cls] for r in res.get(name, []))
            if truth == "unsafe" and flagged:
                s[tool][0] += 1
            elif truth == "safe" and flagged:
                s[tool][1] += 1
                fps[tool].append(name)
            elif truth == "unsafe":
                fns[tool].append(name)

    # workload: end to end through psql versus squawk's binary
    wl_bytes = os.path.getsize(a.workload)
    psql_cmd = shlex.split(a.psql)
    script = "\\set content `cat %s`\nSELECT count(*) FROM schemamig.lint(:'content');\n" % a.workload
    lint_wl = median_time(psql_cmd, script)
    nfind = run(psql_cmd, script).stdout.strip()
    sq_wl = median_time([a.squawk, a.workload])
    sq_find = len(json.loads(run([a.squawk, "--reporter", "json", a.workload]).stdout or "[]"))

    # the lint_on_upgrade hook: 1000 no-op revisions, per mode
    hook = None
    wired = False
    if run(psql_cmd + ["-c", "SELECT 'schemamig.upgrade(text)'::regprocedure"]).returncode == 0:
        probe = run(psql_cmd, "BEGIN;\nSET client_min_messages = warning;\n"
                    "SET schemamig.lint_on_upgrade = error;\n"
                    "SELECT schemamig.add_revision('lintprobe', 'probe', 'TRUNCATE empty_t CASCADE',"
                    " NULL, '{}'::text[]);\nSELECT count(*) FROM schemamig.upgrade('lintprobe');\n"
                    "ROLLBACK;\n")
        wired = "lint finding" in probe.stderr
    if wired:
        run(psql_cmd, "SET client_min_messages = warning;\n"
            "SELECT count(schemamig.add_revision('noop' || i, 'noop', 'SELECT 1', 'SELECT 1',"
            " CASE WHEN i = 1 THEN '{}'::text[] ELSE ARRAY['noop' || (i - 1)] END))"
            " FROM generate_series(1, 1000) i;\n")
        hook = {}
        samples = {"off": [], "warning": [], "error": []}
        for _ in range(9):      # modes interleaved, so load drift hits all alike
            for mode in samples:
                times = samples[mode]
                r = run(psql_cmd, "SET client_min_messages = warning;\n"
                        "SET schemamig.lint_on_upgrade = %s;\n\\timing on\n"
                        "SELECT count(*) FROM schemamig.upgrade('head');\n\\timing off\n"
                        "SELECT count(*) FROM schemamig.downgrade('base');\n" % mode)
                m = re.search(r"Time: ([0-9.]+) ms", r.stdout)
                if m:
                    times.append(float(m.group(1)))
        for mode, times in samples.items():
            hook[mode] = statistics.median(times) if times else None

    # real corpora
    shared = os.environ.get("SHARED_DIR") or os.path.join("..", "shared")
    corpus = sorted(glob.glob(os.path.join(shared, "corpora", "*", "sql", "*.sql")))
    sql = "".join("SELECT %s, severity, rule FROM schemamig.lint(%s);\n"
                  % (dq(f), dq(open(f).read())) for f in corpus)
    r = run(psql_cmd + ["-F", "\t"], sql)
    per_rule = collections.Counter()
    per_sev = collections.Counter()
    files_with = collections.defaultdict(set)
    for line in r.stdout.splitlines():
        f, sev, rule = line.split("\t")
        per_rule[(rule, sev)] += 1
        per_sev[sev] += 1
        files_with[sev].add(f)
    corpus_ok = r.returncode == 0

    with open(a.out, "w") as o:
        w = o.write
        w("# lint() versus squawk\n\n")
        w("Generated by `test/bench/lint_bench.sh` (a benchmark, not a test). "
          "squawk: `%s` (npm `squawk-cli`, default rules). pg_schemamig: PostgreSQL %s.\n\n"
          % (version, run(psql_cmd + ["-c", "SHOW server_version"]).stdout.strip()))
        w("## Snippet corpus: true and false positives per hazard class\n\n")
        w("%d snippets (`test/lint/snippets/`, written by `test/lint/make_snippets.py`), "
          "linted against the fixture `test/lint/fixture.sql`: `acct` holds 20000 rows, "
          "`tiny` 10, `empty_t` none, and `fresh` is created by the snippet itself. "
          "Each snippet names its hazard class and whether it is unsafe for that class "
          "(judged from what PostgreSQL does on the fixture, not from either tool). A tool "
          "flags a snippet when it reports a warning or error whose rule belongs to the "
          "snippet's class (timeout and robustness rules, which both tools apply to every "
          "statement, are not counted; lint runs with `schemamig.lock_timeout` set).\n\n" % len(files))
        w("Caveat: the snippets, their ground truth and lint were written by the same "
          "people, so lint's column is a regression check of intent more than an independent "
          "score. squawk's false positives are mostly by construction: it reads text only, so "
          "it cannot know that `tiny` and `empty_t` hold few or no rows, that a validated "
          "CHECK makes SET NOT NULL cheap, or which type changes PostgreSQL does without a "
          "rewrite.\n\n")
        w("| class | unsafe | safe | lint TP | lint FP | squawk TP | squawk FP |\n|---|---|---|---|---|---|---|\n")
        tot = [0, 0, 0, 0, 0, 0]
        for cls, s in stats.items():
            row = [s["unsafe"], s["safe"], s["lint"][0], s["lint"][1], s["squawk"][0], s["squawk"][1]]
            tot = [x + y for x, y in zip(tot, row)]
            w("| %s | %s |\n" % (cls, " | ".join(map(str, row))))
        w("| **all** | %s |\n\n" % " | ".join("**%d**" % x for x in tot))
        w("Recall: lint %d/%d, squawk %d/%d. False positives: lint %d, squawk %d.\n\n"
          % (tot[2], tot[0], tot[4], tot[0], tot[3], tot[5]))
        for tool in ("lint", "squawk"):
            w("%s false positives (%d): %s\n\n" % (tool, len(fps[tool]),
                                                   ", ".join("`%s`" % x for x in fps[tool]) or "none"))
            w("%s misses (%d): %s\n\n" % (tool, len(fns[tool]),
                                          ", ".join("`%s`" % x for x in fns[tool]) or "none"))
        w("Time for the whole snippet set: lint %.3f s (one psql session, %d lint() calls), "
          "squawk %.3f s (one process).\n\n" % (lint_t, len(files), sq_t))
        w("## 1,000-revision workload, end to end\n\n")
        w("`python3 ../shared/peers/gen.py -n 1000 -o DIR --url postgresql://x`, file "
          "`DIR/raw/up.sql` (%d bytes). Median of 5 runs, wall clock, including process "
          "start and (for lint) connecting:\n\n" % wl_bytes)
        w("| tool | command | median time | findings |\n|---|---|---|---|\n")
        w("| lint | `psql` with `\\set content \\`cat up.sql\\`` and "
          "`SELECT count(*) FROM schemamig.lint(:'content')` | %.3f s | %s |\n" % (lint_wl, nfind))
        w("| squawk | `squawk up.sql` | %.3f s | %d |\n\n" % (sq_wl, sq_find))
        w("## upgrade() with schemamig.lint_on_upgrade\n\n")
        if hook is None:
            w("This build's upgrade() does not call the lint hook yet (or there is no "
              "upgrade()); nothing measured.\n\n")
        else:
            w("1000 registered no-op revisions (`SELECT 1` each way); server-side time of "
              "`SELECT count(*) FROM schemamig.upgrade('head')` (psql `\\timing`), median of 9 runs per mode, modes interleaved, "
              "downgrading to base between runs:\n\n| lint_on_upgrade | 1000 revisions | per revision |\n|---|---|---|\n")
            for mode, ms in hook.items():
                w("| %s | %s | %s |\n" % (mode, "%.1f ms" % ms if ms else "?",
                                           "%.1f µs" % (ms) if ms else "?"))
            w("\n")
        w("## Real migrations: ../shared/corpora/*/sql/*.sql\n\n")
        w("%d files linted in one session: %s. Findings by severity: %s. Files with an "
          "error finding: %d; with a warning: %d.\n\n"
          % (len(corpus), "no error, no crash" if corpus_ok else "psql reported an error",
             ", ".join("%s %d" % (k, per_sev[k]) for k in ("error", "warning", "info")),
             len(files_with["error"]), len(files_with["warning"])))
        w("| rule | severity | findings |\n|---|---|---|\n")
        for (rule, sev), n in sorted(per_rule.items(), key=lambda x: (-x[1], x[0])):
            w("| %s | %s | %d |\n" % (rule, sev, n))
        w("\nThe corpora are Alembic's offline SQL for tables that do not exist in the "
          "benchmark database, so lint treats every table as unknown and assumes it holds "
          "data (warning, never error, for lock and rewrite rules).\n")


if __name__ == "__main__":
    main()
