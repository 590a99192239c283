#!/usr/bin/env python3
"""Generates the benchmark projects: a long linear chain of migrate revision files, the
same chain as an Alembic project, and an SQL script equivalent to upgrading the chain.

usage: generate.py graph DIR N        migrate project with N empty revisions (+ alembic/)
       generate.py apply DIR N        migrate project with N small table revisions, plus
                                      DIR/equivalent.sql for the sqlite3 shell
       generate.py schema DIR N       migrate project whose schema.sql holds N tables
                                      (with keys, an index, a check and a foreign key each),
                                      and the same tables as SQLAlchemy metadata in an
                                      Alembic project (alembic.ini, alembic/, models.py) for
                                      `alembic check` against the same database
"""
import os
import sys

CONFIG = """[database]
url = "sqlite:///bench.db"

[migrations]
dir = "migrations"
"""


def rev_id(i):
    return "%012x" % (0xA0000000 + i)


def migrate_file(i, upgrade, downgrade):
    parent = rev_id(i - 1) if i > 0 else ""
    return (
        f"-- revision: {rev_id(i)}\n-- revises: {parent}\n-- message: revision {i}\n"
        f"-- created: 2026-11-23 10:00:00+00:00\n\n-- migrate:upgrade\n{upgrade}\n\n"
        f"-- migrate:downgrade\n{downgrade}\n"
    )


def alembic_file(i):
    parent = repr(rev_id(i - 1)) if i > 0 else "None"
    return (
        f'"""revision {i}\n\nRevision ID: {rev_id(i)}\nRevises: {parent}\n'
        f'Create Date: 2026-11-23 10:00:00\n"""\n'
        f"revision = {rev_id(i)!r}\ndown_revision = {parent}\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
    )


def project(root):
    os.makedirs(os.path.join(root, "migrations"), exist_ok=True)
    with open(os.path.join(root, "config.toml"), "w") as f:
        f.write(CONFIG)


def graph(root, n):
    project(root)
    versions = os.path.join(root, "alembic", "versions")
    os.makedirs(versions, exist_ok=True)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\n")
    with open(os.path.join(root, "alembic", "env.py"), "w") as f:
        f.write("# not run by `alembic heads`\n")
    with open(os.path.join(root, "alembic", "script.py.mako"), "w") as f:
        f.write("")
    for i in range(n):
        name = f"{rev_id(i)}_revision_{i}"
        with open(os.path.join(root, "migrations", name + ".sql"), "w") as f:
            f.write(migrate_file(i, "SELECT 1;", "SELECT 1;"))
        with open(os.path.join(versions, name + ".py"), "w") as f:
            f.write(alembic_file(i))


def apply(root, n):
    project(root)
    script = [
        "CREATE TABLE migrate_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);",
        "INSERT INTO migrate_version VALUES ('');",
    ]
    for i in range(n):
        upgrade = (
            f"CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
            f"INSERT INTO t{i} (name) VALUES ('row {i}');"
        )
        with open(os.path.join(root, "migrations", f"{rev_id(i)}_t{i}.sql"), "w") as f:
            f.write(migrate_file(i, upgrade, f"DROP TABLE t{i};"))
        script += [
            "BEGIN;",
            upgrade,
            f"UPDATE migrate_version SET version_num = '{rev_id(i)}';",
            "COMMIT;",
        ]
    with open(os.path.join(root, "equivalent.sql"), "w") as f:
        f.write("\n".join(script) + "\n")


def schema(root, n):
    project(root)
    tables = []
    for i in range(n):
        fk = f",\n    parent_id INTEGER REFERENCES t{i - 1} (id) ON DELETE CASCADE" if i else ""
        tables.append(
            f"CREATE TABLE t{i} (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
            f"    name VARCHAR(100) NOT NULL DEFAULT '',\n    qty INTEGER CHECK (qty >= 0),\n"
            f"    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP{fk},\n"
            f"    CONSTRAINT uq_t{i}_name UNIQUE (name)\n);\n"
            f"CREATE INDEX ix_t{i}_created ON t{i} (created_at);\n"
        )
    with open(os.path.join(root, "schema.sql"), "w") as f:
        f.write("\n".join(tables))
    alembic_schema(root, n)


ALEMBIC_INI = """[alembic]
script_location = alembic
prepend_sys_path = .
sqlalchemy.url = sqlite:///alembic.db
"""

# Alembic's own online env.py, reduced to what `alembic check` needs: the metadata is
# models.py's, declared table by table, not reflected at runtime.
ALEMBIC_ENV = """from alembic import context
from sqlalchemy import engine_from_config, pool

import models

config = context.config
connectable = engine_from_config(
    config.get_section(config.config_ini_section, {}),
    prefix="sqlalchemy.",
    poolclass=pool.NullPool,
)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=models.metadata)
    with context.begin_transaction():
        context.run_migrations()
"""


def alembic_schema(root, n):
    """models.py: the tables of schema.sql as SQLAlchemy Table objects, as Alembic sees
    them on SQLite: `INTEGER PRIMARY KEY` reflects as nullable, and the reflected foreign
    keys carry no ON DELETE, so both are declared that way and `alembic check` finds no
    changes (as `migrate check` does)."""
    os.makedirs(os.path.join(root, "alembic", "versions"), exist_ok=True)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write(ALEMBIC_INI)
    with open(os.path.join(root, "alembic", "env.py"), "w") as f:
        f.write(ALEMBIC_ENV)
    with open(os.path.join(root, "alembic", "script.py.mako"), "w") as f:
        f.write("")
    out = [
        "from sqlalchemy import (CheckConstraint, Column, ForeignKey, Index, Integer,",
        "                        MetaData, String, Table, TIMESTAMP, UniqueConstraint, text)",
        "",
        "metadata = MetaData()",
        "",
    ]
    for i in range(n):
        fk = (
            f'    Column("parent_id", Integer, ForeignKey("t{i - 1}.id")),\n'
            if i
            else ""
        )
        out.append(
            f'Table("t{i}", metadata,\n'
            f'    Column("id", Integer, primary_key=True, nullable=True),\n'
            f'    Column("name", String(100), nullable=False, server_default=""),\n'
            f'    Column("qty", Integer, CheckConstraint("qty >= 0")),\n'
            f'    Column("created_at", TIMESTAMP, nullable=False,\n'
            f'           server_default=text("CURRENT_TIMESTAMP")),\n'
            f"{fk}"
            f'    UniqueConstraint("name", name="uq_t{i}_name"),\n'
            f'    Index("ix_t{i}_created", "created_at"),\n'
            f"    sqlite_autoincrement=True)\n"
        )
    with open(os.path.join(root, "models.py"), "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    kind, root, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    {"graph": graph, "apply": apply, "schema": schema}[kind](root, n)
