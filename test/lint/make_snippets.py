#!/usr/bin/env python3
"""Write the lint snippet corpus: test/lint/snippets/NNN_name.sql.

Each snippet starts with three header lines:
  -- class: the hazard class (lock, rewrite, data, compat, destructive, types, txn, other)
  -- truth: unsafe or safe, for that class, judged from PostgreSQL's behaviour
            on the fixture (test/lint/fixture.sql), not from lint's output
  -- expect: lint's findings of severity warning or error, as rule:severity
            (sorted), or "none"
Tables: acct (20000 rows), tiny (10 rows), empty_t (no rows), fresh (created
by the snippet itself).  Run from the repository root.
"""
import os

FRESH = "CREATE TABLE fresh (LIKE acct INCLUDING ALL);\n"

# variant -> truth, for three kinds of hazard
LOCK = {"acct": "unsafe", "tiny": "safe", "empty_t": "safe", "fresh": "safe"}
BREAK = {"acct": "unsafe", "tiny": "unsafe", "empty_t": "unsafe", "fresh": "safe"}
DATA = {"acct": "unsafe", "tiny": "unsafe", "empty_t": "safe", "fresh": "safe"}
SAFE = {"acct": "safe", "tiny": "safe", "empty_t": "safe", "fresh": "safe"}


def lock_expect(rule):
    return {"acct": rule + ":warning", "tiny": "none", "empty_t": "none", "fresh": "none"}


def break_expect(rule):
    return {"acct": rule + ":warning", "tiny": rule + ":warning",
            "empty_t": rule + ":warning", "fresh": "none"}


NONE = {"acct": "none", "tiny": "none", "empty_t": "none", "fresh": "none"}

# name, class, sql template ({t} = table), truth map, expect map
TEMPLATES = [
    ("create_index", "lock", "CREATE INDEX {t}_x ON {t} (name);", LOCK,
     lock_expect("require-concurrent-index-creation")),
    ("create_unique_index", "lock", "CREATE UNIQUE INDEX {t}_x ON {t} (name);", LOCK,
     lock_expect("require-concurrent-index-creation")),
    ("create_index_concurrently", "lock",
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS {t}_x ON {t} (name);", SAFE, NONE),
    ("add_check", "lock", "ALTER TABLE {t} ADD CONSTRAINT {t}_pos CHECK (n > 0);", LOCK,
     lock_expect("constraint-missing-not-valid")),
    ("add_check_not_valid", "lock",
     "ALTER TABLE {t} ADD CONSTRAINT {t}_pos CHECK (n > 0) NOT VALID;", SAFE, NONE),
    ("add_fk", "lock",
     "ALTER TABLE {t} ADD CONSTRAINT {t}_fk FOREIGN KEY (n) REFERENCES refd (id);", LOCK,
     lock_expect("adding-foreign-key-constraint")),
    ("add_fk_not_valid", "lock",
     "ALTER TABLE {t} ADD CONSTRAINT {t}_fk FOREIGN KEY (n) REFERENCES refd (id) NOT VALID;",
     SAFE, NONE),
    ("add_unique", "lock", "ALTER TABLE {t} ADD CONSTRAINT {t}_uq UNIQUE (name);", LOCK,
     lock_expect("disallowed-unique-constraint")),
    ("add_unique_column", "lock", "ALTER TABLE {t} ADD COLUMN c2 text UNIQUE;", LOCK,
     lock_expect("disallowed-unique-constraint")),
    ("add_exclusion", "lock",
     "ALTER TABLE {t} ADD CONSTRAINT {t}_ex EXCLUDE USING btree (n WITH =);", LOCK,
     lock_expect("adding-exclusion-constraint")),
    ("add_column_volatile_default", "rewrite",
     "ALTER TABLE {t} ADD COLUMN u uuid DEFAULT gen_random_uuid();", LOCK,
     lock_expect("adding-field-with-default")),
    ("add_column_constant_default", "rewrite",
     "ALTER TABLE {t} ADD COLUMN z integer DEFAULT 0;", SAFE, NONE),
    ("add_column_now_default", "rewrite",
     "ALTER TABLE {t} ADD COLUMN t timestamptz DEFAULT now();", SAFE, NONE),
    ("add_identity_column", "rewrite",
     "ALTER TABLE {t} ADD COLUMN k bigint GENERATED ALWAYS AS IDENTITY;", LOCK,
     lock_expect("adding-field-with-default")),
    ("add_stored_generated", "rewrite",
     "ALTER TABLE {t} ADD COLUMN g integer GENERATED ALWAYS AS (n * 2) STORED;", LOCK,
     lock_expect("adding-field-with-default")),
    ("add_required_column", "data", "ALTER TABLE {t} ADD COLUMN r text NOT NULL;", DATA,
     {"acct": "adding-required-field:error", "tiny": "adding-required-field:error",
      "empty_t": "none", "fresh": "none"}),
    ("add_required_column_default", "data",
     "ALTER TABLE {t} ADD COLUMN r text NOT NULL DEFAULT 'x';", SAFE, NONE),
    ("set_not_null", "lock", "ALTER TABLE {t} ALTER COLUMN email SET NOT NULL;", LOCK,
     lock_expect("adding-not-nullable-field")),
    ("set_not_null_with_check", "lock", "ALTER TABLE {t} ALTER COLUMN n SET NOT NULL;",
     SAFE, NONE),
    ("type_int_to_bigint", "rewrite", "ALTER TABLE {t} ALTER COLUMN n TYPE bigint;", LOCK,
     lock_expect("changing-column-type")),
    ("type_varchar_to_text", "rewrite", "ALTER TABLE {t} ALTER COLUMN name TYPE text;",
     SAFE, NONE),
    ("type_varchar_widen", "rewrite", "ALTER TABLE {t} ALTER COLUMN name TYPE varchar(100);",
     SAFE, {v: "prefer-text-field:warning" for v in LOCK}),
    ("type_numeric_widen", "rewrite",
     "ALTER TABLE {t} ALTER COLUMN amount TYPE numeric(12,2);", SAFE, NONE),
    ("type_numeric_scale", "rewrite",
     "ALTER TABLE {t} ALTER COLUMN amount TYPE numeric(12,3);", LOCK,
     lock_expect("changing-column-type")),
    ("set_unlogged", "rewrite", "ALTER TABLE {t} SET UNLOGGED;", LOCK,
     lock_expect("table-rewrite")),
    ("vacuum_full", "rewrite", "VACUUM FULL {t};", LOCK, lock_expect("prefer-repack")),
    ("cluster", "rewrite", "CLUSTER {t} USING {t}_pkey;", LOCK, lock_expect("prefer-repack")),
    ("reindex", "lock", "REINDEX TABLE {t};", LOCK, lock_expect("require-concurrent-reindex")),
    ("update_all", "lock", "UPDATE {t} SET n = n + 1;", LOCK, lock_expect("backfilling-data")),
    ("delete_some", "lock", "DELETE FROM {t} WHERE n < 0;", LOCK,
     lock_expect("backfilling-data")),
    ("drop_column", "compat", "ALTER TABLE {t} DROP COLUMN name;", BREAK,
     break_expect("ban-drop-column")),
    ("rename_column", "compat", "ALTER TABLE {t} RENAME COLUMN name TO full_name;", BREAK,
     break_expect("renaming-column")),
    ("rename_table", "compat", "ALTER TABLE {t} RENAME TO {t}_old;", BREAK,
     break_expect("renaming-table")),
    ("drop_table", "destructive", "DROP TABLE {t} CASCADE;", BREAK,
     break_expect("ban-drop-table")),
    ("drop_not_null", "compat", "ALTER TABLE {t} ALTER COLUMN code DROP NOT NULL;", BREAK,
     break_expect("ban-drop-not-null")),
    ("truncate", "destructive", "TRUNCATE {t};", DATA,
     {"acct": "ban-truncate:warning", "tiny": "ban-truncate:warning",
      "empty_t": "none", "fresh": "none"}),
    ("truncate_cascade", "destructive", "TRUNCATE {t} CASCADE;", BREAK,
     {"acct": "ban-truncate-cascade:error", "tiny": "ban-truncate-cascade:error",
      "empty_t": "ban-truncate-cascade:error", "fresh": "none"}),
    ("drop_check", "compat", "ALTER TABLE {t} DROP CONSTRAINT acct_n_nn;", SAFE, NONE),
    ("enable_rls", "other", "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;", SAFE, NONE),
    ("add_fk_column", "lock", "ALTER TABLE {t} ADD COLUMN r bigint REFERENCES refd;",
     SAFE, NONE),
]

# name, class, truth, expect, sql
SINGLES = [
    ("drop_index", "lock", "unsafe", "require-concurrent-index-deletion:warning",
     "DROP INDEX acct_email_idx;"),
    ("drop_index_tiny", "lock", "unsafe", "require-concurrent-index-deletion:warning",
     "DROP INDEX tiny_email_idx;"),
    ("drop_index_empty", "lock", "safe", "none", "DROP INDEX empty_t_email_idx;"),
    ("drop_index_fresh", "lock", "safe", "none",
     FRESH + "CREATE INDEX fresh_e ON fresh (email);\nDROP INDEX fresh_e;"),
    ("drop_index_concurrently", "lock", "safe", "none",
     "DROP INDEX CONCURRENTLY IF EXISTS acct_email_idx;"),
    ("unique_using_index", "lock", "safe", "none",
     "ALTER TABLE acct ADD CONSTRAINT acct_email_key UNIQUE USING INDEX acct_email_uidx;"),
    ("add_primary_key", "lock", "unsafe", "adding-serial-primary-key-field:warning",
     "ALTER TABLE nopk ADD PRIMARY KEY (id);"),
    ("add_primary_key_empty", "lock", "safe", "none",
     "ALTER TABLE nopk_empty ADD PRIMARY KEY (id);"),
    ("primary_key_using_index", "lock", "safe", "none",
     "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS nopk_id_uidx ON nopk (id);\n"
     "ALTER TABLE nopk ADD CONSTRAINT nopk_pkey PRIMARY KEY USING INDEX nopk_id_uidx;"),
    ("not_null_recipe_step1", "lock", "safe", "none",
     "ALTER TABLE acct ADD CONSTRAINT acct_email_nn CHECK (email IS NOT NULL) NOT VALID;"),
    ("not_null_recipe_step2", "lock", "safe", "none",
     "ALTER TABLE acct VALIDATE CONSTRAINT acct_n_nn;"),
    ("not_null_recipe_one_transaction", "lock", "unsafe",
     "constraint-missing-not-valid:warning",
     "ALTER TABLE acct ADD CONSTRAINT acct_email_nn CHECK (email IS NOT NULL) NOT VALID;\n"
     "ALTER TABLE acct VALIDATE CONSTRAINT acct_email_nn;\n"
     "ALTER TABLE acct ALTER COLUMN email SET NOT NULL;"),
    ("add_column_with_check", "lock", "unsafe", "constraint-missing-not-valid:warning",
     "ALTER TABLE acct ADD COLUMN c integer CHECK (c > 0);"),
    ("add_column_stable_default", "rewrite", "safe", "none",
     "ALTER TABLE acct ADD COLUMN s text DEFAULT lower('X');"),
    ("add_column_random_default", "rewrite", "unsafe", "adding-field-with-default:warning",
     "ALTER TABLE acct ADD COLUMN r float8 DEFAULT random();"),
    ("add_column_serial", "rewrite", "unsafe",
     "adding-field-with-default:warning prefer-identity:warning",
     "ALTER TABLE acct ADD COLUMN s bigserial;"),
    ("ctas_then_index", "lock", "safe", "none",
     "CREATE TABLE acct_copy AS SELECT * FROM acct;\nCREATE INDEX ON acct_copy (email);"),
    ("lock_timeout_set", "lock", "safe", "none",
     "SET lock_timeout = '2s';\nALTER TABLE acct ADD COLUMN x text;"),
    ("add_nullable_column", "lock", "safe", "none", "ALTER TABLE acct ADD COLUMN x text;"),
    ("unknown_table_required", "data", "unsafe", "adding-required-field:warning",
     "ALTER TABLE nosuch ADD COLUMN x text NOT NULL;"),
    ("unknown_table_index", "lock", "unsafe", "require-concurrent-index-creation:warning",
     "CREATE INDEX nosuch_i ON nosuch (a);"),
    ("detach_partition", "lock", "unsafe", "require-concurrent-partition-detach:warning",
     "ALTER TABLE events DETACH PARTITION events_2023;"),
    ("detach_partition_concurrently", "lock", "safe", "none",
     "ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;"),
    ("index_partitioned", "lock", "unsafe", "require-concurrent-index-creation:warning",
     "CREATE INDEX events_v ON events (v);"),
    ("table_int_pk", "types", "unsafe", "prefer-bigint-over-int:warning",
     "CREATE TABLE t1 (id integer PRIMARY KEY, n integer);"),
    ("table_serial_pk", "types", "unsafe",
     "prefer-bigint-over-int:warning prefer-identity:warning",
     "CREATE TABLE t1 (id serial PRIMARY KEY);"),
    ("table_bigserial_pk", "types", "unsafe", "prefer-identity:warning",
     "CREATE TABLE t1 (id bigserial PRIMARY KEY);"),
    ("table_identity_pk", "types", "safe", "none",
     "CREATE TABLE t1 (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n integer);"),
    ("table_smallint_pk", "types", "unsafe", "prefer-bigint-over-smallint:warning",
     "CREATE TABLE t1 (id smallint PRIMARY KEY);"),
    ("table_composite_int_pk", "types", "unsafe", "prefer-bigint-over-int:warning",
     "CREATE TABLE t1 (a integer, b bigint, PRIMARY KEY (a, b));"),
    ("table_varchar", "types", "unsafe", "prefer-text-field:warning",
     "CREATE TABLE t1 (id bigint PRIMARY KEY, a varchar(20));"),
    ("table_char", "types", "unsafe", "ban-char-field:warning",
     "CREATE TABLE t1 (id bigint PRIMARY KEY, a char(3));"),
    ("table_timestamp", "types", "unsafe", "prefer-timestamptz:warning",
     "CREATE TABLE t1 (id bigint PRIMARY KEY, a timestamp);"),
    ("table_json", "types", "unsafe", "prefer-jsonb:warning",
     "CREATE TABLE t1 (id bigint PRIMARY KEY, a json);"),
    ("table_good_types", "types", "safe", "none",
     "CREATE TABLE t1 (id bigint PRIMARY KEY, a text, b timestamptz, c jsonb, d varchar, e numeric);"),
    ("add_json_column", "types", "unsafe", "prefer-jsonb:warning",
     "ALTER TABLE acct ADD COLUMN j json;"),
    ("long_identifier", "types", "unsafe", "identifier-too-long:warning",
     "CREATE TABLE a_very_long_table_name_that_goes_on_and_on_past_the_limit_of_postgres (id bigint);"),
    ("concurrent_in_transaction", "txn", "unsafe",
     "ban-concurrent-index-creation-in-transaction:error transaction-nesting:error transaction-nesting:error",
     "BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS acct_c ON acct (code);\nCOMMIT;"),
    ("uncommitted_transaction", "txn", "unsafe",
     "ban-uncommitted-transaction:warning transaction-nesting:error",
     "BEGIN;\nALTER TABLE empty_t ADD COLUMN x text;"),
    ("enum_add_then_use", "txn", "unsafe", "unsafe-enum-value-use:error",
     "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';\nSELECT 'happy'::mood;"),
    ("enum_add_alone", "txn", "safe", "none", "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';"),
    ("concurrent_alone", "txn", "safe", "none",
     "CREATE INDEX CONCURRENTLY acct_c ON acct (code);"),
    ("drop_schema_cascade", "destructive", "unsafe", "ban-drop-schema:error",
     "DROP SCHEMA legacy CASCADE;"),
    ("drop_database", "destructive", "unsafe", "ban-drop-database:error",
     "DROP DATABASE legacy;"),
    ("drop_view", "compat", "unsafe", "none", "DROP VIEW acct_v;"),
    ("drop_type_cascade", "destructive", "unsafe", "dropping-object:warning",
     "DROP TYPE mood CASCADE;"),
    ("enum_add_value", "compat", "safe", "none", "ALTER TYPE mood ADD VALUE 'happy';"),
    ("enum_rename_value", "compat", "unsafe", "renaming-enum-value:warning",
     "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';"),
    ("domain_with_check", "lock", "unsafe", "ban-create-domain-with-constraint:warning",
     "CREATE DOMAIN pos2 AS integer CHECK (VALUE > 0);"),
    ("domain_add_constraint", "lock", "unsafe",
     "ban-alter-domain-with-add-constraint:warning",
     "ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0);"),
    ("domain_add_constraint_not_valid", "lock", "safe", "none",
     "ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0) NOT VALID;"),
    ("do_block", "other", "safe", "none", "DO $$BEGIN PERFORM 1; END$$;"),
    ("grant", "other", "safe", "none", "GRANT SELECT ON acct TO PUBLIC;"),
    ("vacuum_plain", "rewrite", "safe", "none", "VACUUM acct;"),
    ("select", "other", "safe", "none", "SELECT count(*) FROM acct;"),
    ("insert", "other", "safe", "none", "INSERT INTO refd VALUES (1000);"),
    ("create_view", "other", "safe", "none", "CREATE VIEW acct_emails AS SELECT email FROM acct;"),
    ("comment", "other", "safe", "none", "COMMENT ON TABLE acct IS 'accounts';"),
    ("alembic_style_add_column", "lock", "safe", "none",
     "ALTER TABLE acct ADD COLUMN priority VARCHAR;\n"
     "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'b1';"),
]


def main():
    out = "test/lint/snippets"
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.endswith(".sql"):
            os.remove(os.path.join(out, f))
    n = 0
    for name, cls, tmpl, truth, expect in TEMPLATES:
        for t in ("acct", "tiny", "empty_t", "fresh"):
            n += 1
            sql = tmpl.format(t=t)
            if t == "fresh":
                sql = FRESH + sql
            write(out, n, name + "_" + t, cls, truth[t], expect[t], sql)
    for name, cls, truth, expect, sql in SINGLES:
        n += 1
        write(out, n, name, cls, truth, expect, sql)
    print(n, "snippets")


def write(out, n, name, cls, truth, expect, sql):
    with open(os.path.join(out, "%03d_%s.sql" % (n, name)), "w") as f:
        f.write("-- class: %s\n-- truth: %s\n-- expect: %s\n%s\n" % (cls, truth, expect, sql))


if __name__ == "__main__":
    main()
