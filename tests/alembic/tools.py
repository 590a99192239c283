"""The two tools under comparison, each on one graph's files: Alembic through its Python
API and the real `migrate` binary; plus the SQLite helpers both are judged through."""

import io
import os
import re
import sqlite3
import subprocess
import tempfile
import warnings

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

LOG_TABLE = "CREATE TABLE log (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)"
VERSION_TABLE = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


def fresh_db(path, rows):
    """A database holding the log table and, when `rows` is not None, the version rows."""
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute(LOG_TABLE)
    if rows is not None:
        db.execute(VERSION_TABLE)
        db.executemany("INSERT INTO alembic_version VALUES (?)", [(r,) for r in rows])
    db.commit()
    db.close()


def read_db(path):
    """(log entries in order, sorted version rows) of a database."""
    db = sqlite3.connect(path)
    log = [e for (e,) in db.execute("SELECT entry FROM log ORDER BY seq")]
    try:
        rows = sorted(v for (v,) in db.execute("SELECT version_num FROM alembic_version"))
    except sqlite3.OperationalError:
        rows = []
    db.close()
    return log, rows


def replay(script, rows):
    """Runs an offline script in a fresh database; (log, rows) or ('failed', error)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "replay.db")
        fresh_db(path, rows)
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.executescript(script)
        except sqlite3.Error as e:
            db.close()
            return ("failed", str(e))
        db.close()
        return read_db(path)


class Alembic:
    """Alembic driven through its Python API on one graph's scripts. `warnings` holds the
    messages of the warnings its last `run` issued (Alembic warns through the `warnings`
    module, e.g. for `downgrade -1` from several heads)."""

    def __init__(self, root):
        self.db = os.path.join(root, "theirs.db")
        self.config = Config()
        self.config.set_main_option("script_location", root)
        self.config.set_main_option("sqlalchemy.url", "sqlite:///%s" % self.db)
        self.script = ScriptDirectory.from_config(self.config)
        self.warnings = []

    def heads(self):
        return sorted(self.script.get_heads())

    def branches(self):
        return sorted(r.revision for r in self.script.walk_revisions() if r.is_branch_point)

    def history(self, rng):
        base, _, head = (rng or ":").partition(":")
        revs = self.script.walk_revisions(base=base or "base", head=head or "heads")
        return [r.revision for r in revs]

    def history_at(self, rng, rows, ids):
        """The revisions `alembic history -r RANGE` prints, in order, with the database at
        `rows` (for ranges naming `current`)."""
        fresh_db(self.db, rows)
        out = io.StringIO()
        config = Config(stdout=out)
        for key in ("script_location", "sqlalchemy.url"):
            config.set_main_option(key, self.config.get_main_option(key))
        command.history(config, rng)
        return [ids.findall(line)[-1] for line in out.getvalue().splitlines()]

    def run(self, verb, target, rows):
        """(log, rows, current) after `verb target` from `rows`; raises on refusal."""
        fresh_db(self.db, rows)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                if verb == "upgrade":
                    command.upgrade(self.config, target)
                elif verb == "downgrade":
                    command.downgrade(self.config, target)
                else:
                    command.stamp(self.config, target, purge=verb == "stamp --purge")
            finally:
                self.warnings = [str(w.message) for w in caught if w.category is UserWarning]
        log, rows = read_db(self.db)
        return log, rows, rows_via_context(self.db)

    def sql(self, verb, rng):
        buffer = io.StringIO()
        self.config.attributes["buffer"] = buffer
        if verb == "upgrade":
            command.upgrade(self.config, rng, sql=True)
        else:
            command.downgrade(self.config, rng, sql=True)
        return buffer.getvalue()


def rows_via_context(db):
    from sqlalchemy import create_engine, pool

    engine = create_engine("sqlite:///%s" % db, poolclass=pool.NullPool)
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    engine.dispose()
    return sorted(heads)


class Ours:
    """The real `migrate` binary on one graph's revision files. `warned` says whether its
    last `run` printed a `warning:` line on stderr."""

    def __init__(self, binary, root, ids):
        self.binary = binary
        self.root = root
        self.db = os.path.join(root, "ours.db")
        self.id_pattern = re.compile(r"\b(%s)\b" % "|".join(ids))
        self.warned = False

    def call(self, *args, quiet=True):
        done = subprocess.run(
            [self.binary, "--config", os.path.join(self.root, "config.toml")]
            + (["-q"] if quiet else [])
            + list(args),
            capture_output=True,
            text=True,
        )
        if done.returncode not in (0, 1) or "panicked" in done.stderr:
            raise RuntimeError("migrate %s: exit %d: %s" % (" ".join(args), done.returncode, done.stderr))
        return done

    def ids(self, text):
        return self.id_pattern.findall(text)

    def heads(self):
        return sorted(self.ids(self.call("heads").stdout))

    def branches(self):
        lines = self.call("branches").stdout.splitlines()
        return sorted(self.ids(line)[-1] for line in lines if not line.startswith(" "))

    def history(self, rng):
        done = self.call("history", "-r", rng) if rng else self.call("history")
        if done.returncode != 0:
            return None
        return [self.ids(line)[-1] for line in done.stdout.splitlines()]

    def history_at(self, rng, rows):
        fresh_db(self.db, rows)
        return self.history(rng)

    def run(self, verb, target, rows):
        """(log, rows, current) after `verb target` from `rows`; None on refusal."""
        fresh_db(self.db, rows)
        done = self.call(*verb.split(), target, quiet=False)
        self.warned = any(line.startswith("warning:") for line in done.stderr.splitlines())
        if done.returncode != 0:
            return None
        log, rows = read_db(self.db)
        current = self.call("current")
        return log, rows, sorted(self.ids(current.stdout))

    def sql(self, verb, rng):
        done = self.call(verb, rng, "--sql")
        return done.stdout if done.returncode == 0 else None
