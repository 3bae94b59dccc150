"""sm_models.py: SQLAlchemy / SQLModel metadata as PostgreSQL DDL, for
"pg_schemamig revision --autogenerate --model" and "check --model".

    python3 sm_models.py MODULE

MODULE is a dotted module path found through PYTHONPATH (and the current
folder).  Its metadata is the module's "metadata" attribute (a
sqlalchemy.MetaData), else SQLModel.metadata.  The DDL is what
MetaData.create_all() would run against PostgreSQL, compiled by SQLAlchemy's
PostgreSQL dialect with no database: CREATE TYPE for the enums, the tables in
dependency order with their columns, server defaults and constraints
(foreign keys of a cycle as ALTER TABLE ... ADD CONSTRAINT afterwards), the
indexes, sequences and comments.  Statements end with ";" and a blank line.

When the metadata uses schemas besides public (schema= on a table, an enum
or a sequence), the DDL starts with the line "-- schemas: {public,...}" (the
schemas to diff, as a PostgreSQL array literal, for the client) and a
CREATE SCHEMA for each of them but public.

This file is installed next to the pg_schemamig client.
"""

import importlib
import os
import sys


def load_metadata(name):
    import sqlalchemy as sa
    sys.path.insert(0, os.getcwd())
    module = importlib.import_module(name)
    md = getattr(module, "metadata", None)
    if isinstance(md, sa.MetaData):
        return md
    try:
        from sqlmodel import SQLModel
    except ImportError:
        raise SystemExit("%s has no \"metadata\" attribute (a sqlalchemy.MetaData) "
                         "and SQLModel is not installed" % name)
    return SQLModel.metadata


def enum_types(md, dialect):
    """The named native enum types the tables use, first use first."""
    import sqlalchemy as sa
    seen = {}
    for table in md.sorted_tables:
        for col in table.columns:
            t = col.type
            if isinstance(t, sa.Enum) and t.native_enum and t.name:
                key = (t.schema or table.schema, t.name)
                if key not in seen:
                    impl = t.dialect_impl(dialect)
                    if impl.schema is None and table.schema is not None:
                        impl = impl.copy()
                        impl.schema = table.schema
                    seen[key] = impl
    return list(seen.values())


def used_schemas(md, dialect):
    """The schemas other than public the tables, enums and sequences use."""
    found = set()
    for table in md.sorted_tables:
        found.add(table.schema)
    for enum in enum_types(md, dialect):
        found.add(enum.schema)
    for seq in md._sequences.values():
        found.add(seq.schema)
    return sorted(s for s in found if s is not None and s != "public")


def array_literal(names):
    """A PostgreSQL text[] literal of names, each element double-quoted."""
    return "{" + ",".join('"%s"' % n.replace("\\", "\\\\").replace('"', '\\"')
                          for n in names) + "}"


def ddl(md):
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import (AddConstraint, CreateIndex, CreateSequence,
                                   CreateTable, SetColumnComment,
                                   SetTableComment, sort_tables_and_constraints)
    try:
        from sqlalchemy.dialects.postgresql.base import CreateEnumType
    except ImportError:                          # SQLAlchemy 2
        from sqlalchemy.dialects.postgresql.named_types import CreateEnumType

    dialect = postgresql.dialect()
    out = []

    def emit(construct):
        out.append(str(construct.compile(dialect=dialect)).strip())

    schemas = used_schemas(md, dialect)
    for schema in schemas:
        emit(sa.schema.CreateSchema(schema))
    for enum in enum_types(md, dialect):
        emit(CreateEnumType(enum))
    for seq in md._sequences.values():
        emit(CreateSequence(seq))
    later = []
    for table, fkcs in sort_tables_and_constraints(
            [t for t in md.sorted_tables]):
        if table is None:
            later.extend(fkcs)
            continue
        emit(CreateTable(table, include_foreign_key_constraints=fkcs))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            emit(CreateIndex(index))
        if table.comment is not None:
            emit(SetTableComment(table))
        for col in table.columns:
            if col.comment is not None:
                emit(SetColumnComment(col))
    for fkc in later:
        emit(AddConstraint(fkc))
    header = "-- schemas: %s\n\n" % array_literal(["public"] + schemas) if schemas else ""
    return header + "".join(s + ";\n\n" for s in out)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: sm_models.py MODULE\n")
        return 2
    try:
        md = load_metadata(argv[1])
    except ImportError as e:
        sys.stderr.write("could not import %s: %s\n" % (argv[1], e))
        return 1
    sys.stdout.write(ddl(md))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
