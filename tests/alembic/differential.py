"""Differential test of `migrate` against Alembic, the oracle for graph semantics.

For each seeded random revision graph (several bases, branch points, merges, depends_on
across branches, branch labels) this writes the graph twice, as `migrate` revision files
and as Alembic scripts, where every upgrade and downgrade appends its own id to a `log`
table. Then it runs both tools from the same version rows and compares what Alembic
users observe: heads, branch points, `current`, the version rows, the revisions run and
their order (the log), for upgrade, downgrade and stamp over every target form, the
`--sql` scripts replayed into fresh SQLite databases, and `history -r` ranges (which
revisions, in which order). A command
Alembic refuses (an exception of any kind) must be refused by `migrate` (exit 1), and the
other way round; messages are not compared.

Usage: differential.py --migrate PATH [--graphs N] [--seed S] [--scenarios K] [--jobs J]
                       [--size MAX_REVISIONS]
Prints one line per difference (seed, graph, command, both results) and a summary;
exits 1 when any difference was found.
"""

import argparse
import io
import multiprocessing
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import warnings

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

warnings.simplefilter("ignore")

ENV_PY = '''
from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
url = config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True,
                      output_buffer=config.attributes["buffer"])
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
'''

SCRIPT_MAKO = "# unused\n"

LOG_TABLE = "CREATE TABLE log (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)"
VERSION_TABLE = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


class Revision:
    def __init__(self, rid, parents, deps, labels):
        self.id = rid
        self.parents = parents
        self.deps = deps
        self.labels = labels

    def describe(self):
        text = "%s <- [%s]" % (self.id, ", ".join(self.parents))
        if self.deps:
            text += " depends_on [%s]" % ", ".join(self.deps)
        if self.labels:
            text += " labels [%s]" % ", ".join(self.labels)
        return text


def random_graph(rng, size):
    """A random DAG in creation order: bases, branch points, merges of unrelated
    revisions, depends_on on unrelated revisions, a few branch labels. One depends_on at
    most per revision: with two, Alembic's own order varies with Python's string hashing."""
    n = rng.randint(4, size)
    revisions = []
    ancestors = {}  # id -> set of ids it requires (self included)
    used = set()
    for i in range(n):
        while True:
            rid = "%012x" % rng.getrandbits(48)
            if rid[:5] not in used:
                used.add(rid[:5])
                break
        earlier = [r.id for r in revisions]
        roll = rng.random()
        parents = []
        if earlier and roll > 0.2:
            first = rng.choice(earlier)
            parents.append(first)
            unrelated = [
                x
                for x in earlier
                if x not in ancestors[first] and first not in ancestors[x]
            ]
            if unrelated and roll > 0.8:
                parents.append(rng.choice(unrelated))
        mine = {rid}
        for p in parents:
            mine |= ancestors[p]
        deps = []
        if earlier and rng.random() < 0.35:
            candidates = [x for x in earlier if x not in mine]
            if candidates:
                dep = rng.choice(candidates)
                deps.append(dep)
                mine |= ancestors[dep]
        labels = ["lb%d" % i] if rng.random() < 0.25 else []
        ancestors[rid] = mine
        revisions.append(Revision(rid, parents, deps, labels))
    return revisions


def tup(ids):
    if not ids:
        return "None"
    return "(%s,)" % ", ".join(repr(x) for x in ids)


def write_alembic(root, revisions):
    os.makedirs(os.path.join(root, "versions"))
    with open(os.path.join(root, "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(root, "script.py.mako"), "w") as f:
        f.write(SCRIPT_MAKO)
    for r in revisions:
        with open(os.path.join(root, "versions", "%s_r.py" % r.id), "w") as f:
            f.write(
                "from alembic import op\n"
                "revision = %r\ndown_revision = %s\nbranch_labels = %s\ndepends_on = %s\n"
                "def upgrade():\n    op.execute(\"INSERT INTO log (entry) VALUES ('up %s')\")\n"
                "def downgrade():\n    op.execute(\"INSERT INTO log (entry) VALUES ('down %s')\")\n"
                % (r.id, tup(r.parents), tup(r.labels), tup(r.deps), r.id, r.id)
            )


def write_ours(root, revisions):
    os.makedirs(os.path.join(root, "migrations"))
    with open(os.path.join(root, "config.toml"), "w") as f:
        f.write(
            '[database]\nurl = "sqlite:///ours.db"\n'
            '[migrations]\ndir = "migrations"\nversion_table = "alembic_version"\n'
        )
    for r in revisions:
        headers = "-- revision: %s\n-- revises: %s\n-- message: r\n" % (
            r.id,
            ", ".join(r.parents),
        )
        if r.deps:
            headers += "-- depends_on: %s\n" % ", ".join(r.deps)
        if r.labels:
            headers += "-- branch_labels: %s\n" % ", ".join(r.labels)
        with open(os.path.join(root, "migrations", "%s_r.sql" % r.id), "w") as f:
            f.write(
                "%s\n-- migrate:upgrade\nINSERT INTO log (entry) VALUES ('up %s');\n\n"
                "-- migrate:downgrade\nINSERT INTO log (entry) VALUES ('down %s');\n"
                % (headers, r.id, r.id)
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
    """Alembic driven through its Python API on one graph's scripts."""

    def __init__(self, root):
        self.db = os.path.join(root, "theirs.db")
        self.config = Config()
        self.config.set_main_option("script_location", root)
        self.config.set_main_option("sqlalchemy.url", "sqlite:///%s" % self.db)
        self.script = ScriptDirectory.from_config(self.config)

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
        if verb == "upgrade":
            command.upgrade(self.config, target)
        elif verb == "downgrade":
            command.downgrade(self.config, target)
        else:
            command.stamp(self.config, target, purge=verb == "stamp --purge")
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
    """The real `migrate` binary on one graph's revision files."""

    def __init__(self, binary, root, ids):
        self.binary = binary
        self.root = root
        self.db = os.path.join(root, "ours.db")
        self.id_pattern = re.compile(r"\b(%s)\b" % "|".join(ids))

    def call(self, *args):
        done = subprocess.run(
            [self.binary, "-q", "--config", os.path.join(self.root, "config.toml")] + list(args),
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
        fresh_db(self.db, rows)
        done = self.call(*verb.split(), target)
        if done.returncode != 0:
            return None
        log, rows = read_db(self.db)
        current = self.call("current")
        return log, rows, sorted(self.ids(current.stdout))

    def sql(self, verb, rng):
        done = self.call(verb, rng, "--sql")
        return done.stdout if done.returncode == 0 else None


def targets(revisions, rng):
    """Every target form, on this graph's revisions and labels."""
    ids = [r.id for r in revisions]
    labels = [l for r in revisions for l in r.labels]
    found = ["head", "heads", "base", "+1", "+2", "-1", "-2", "-3", "head-1", "head-2"]
    found += ids
    found += [rng.choice(ids)[:5], rng.choice(ids)[:4]]
    found += ["%s+1" % rng.choice(ids), "%s-1" % rng.choice(ids), "%s+2" % rng.choice(ids),
              "%s-2" % rng.choice(ids)]
    for label in labels:
        found += [label, "%s@head" % label, "%s@base" % label, "%s-1" % label]
    found.append("%s@base" % rng.choice(ids))
    return found


class Comparison:
    def __init__(self, seed, revisions):
        self.seed = seed
        self.revisions = revisions
        self.checks = 0
        self.differences = []

    def check(self, what, theirs, ours):
        self.checks += 1
        if theirs != ours:
            self.differences.append((what, theirs, ours))

    def report(self):
        lines = []
        for what, theirs, ours in self.differences:
            lines.append("DIFF seed=%d %s\n  alembic: %s\n  migrate: %s" % (self.seed, what, theirs, ours))
        if lines:
            lines.append("  graph (seed %d):\n    %s" % (
                self.seed, "\n    ".join(r.describe() for r in self.revisions)))
        return "\n".join(lines)


class Refusal:
    """The last exception Alembic raised, for the report."""

    last = None


def attempt(fn, *args):
    try:
        return fn(*args)
    except Exception as e:  # Alembic refusing in any way
        Refusal.last = "%s: %s" % (type(e).__name__, e)
        return None


def compare_graph(binary, seed, scenarios, size):
    rng = random.Random(seed)
    revisions = random_graph(rng, size)
    ids = [r.id for r in revisions]
    cmp = Comparison(seed, revisions)
    with tempfile.TemporaryDirectory() as root:
        write_alembic(root, revisions)
        write_ours(root, revisions)
        theirs, ours = Alembic(root), Ours(binary, root, ids)
        cmp.check("heads", theirs.heads(), ours.heads())
        cmp.check("branches", theirs.branches(), ours.branches())

        # start states: version rows Alembic itself leaves behind, going up and down
        states = [[]]
        for target in ["heads"] + rng.sample(ids, min(3, len(ids))):
            result = attempt(theirs.run, "upgrade", target, [])
            if result is not None and result[1] not in states:
                states.append(result[1])
        for verb in ["upgrade", "upgrade", "downgrade", "downgrade"]:
            start = rng.choice(states)
            result = attempt(theirs.run, verb, rng.choice(ids), start)
            if result is not None and result[1] not in states:
                states.append(result[1])

        forms = targets(revisions, rng)
        for _ in range(scenarios):
            verb = rng.choice(["upgrade", "downgrade", "downgrade", "stamp", "stamp --purge"])
            start = rng.choice(states)
            target = rng.choice(forms)
            what = "%s %s from rows %s" % (verb, target, start)
            expected = attempt(theirs.run, verb, target, start)
            got = ours.run(verb, target, start)
            if expected is None or got is None:
                why = " (alembic: %s)" % Refusal.last if expected is None else ""
                cmp.check(what + ": refused" + why, expected is None, got is None)
                continue
            cmp.check(what + ": revisions run", expected[0], got[0])
            cmp.check(what + ": version rows", expected[1], got[1])
            cmp.check(what + ": current", expected[2], got[2])

        # offline scripts, replayed
        ends = ["base"] + ids
        for _ in range(max(4, scenarios // 6)):
            verb = rng.choice(["upgrade", "downgrade"])
            low, high = rng.choice(ends), rng.choice(["heads", "head"] + ids)
            rng_text = "%s:%s" % (low, high) if verb == "upgrade" else "%s:%s" % (high, low)
            start = rng_text.split(":")[0]
            start_rows = None if start == "base" else [theirs.script.get_revision(start).revision] if attempt(theirs.script.get_revision, start) else None
            what = "%s %s --sql" % (verb, rng_text)
            script_theirs = attempt(theirs.sql, verb, rng_text)
            script_ours = ours.sql(verb, rng_text)
            if script_theirs is None or script_ours is None:
                cmp.check(what + ": refused", script_theirs is None, script_ours is None)
                continue
            cmp.check(what + ": replayed", replay(script_theirs, start_rows), replay(script_ours, start_rows))

        for rng_text in [None, "base:head", "base:heads", "base:", ":heads", "%s:" % rng.choice(ids),
                         ":%s" % rng.choice(ids), "%s:%s" % (rng.choice(ids), rng.choice(ids))]:
            what = "history -r %s" % rng_text if rng_text else "history"
            cmp.check(what, attempt(theirs.history, rng_text), ours.history(rng_text))
        for rng_text in ["base:current", "current:", "current:heads", ":current"]:
            start = rng.choice(states)
            what = "history -r %s at rows %s" % (rng_text, start)
            expected = attempt(theirs.history_at, rng_text, start, ours.id_pattern)
            cmp.check(what, expected, ours.history_at(rng_text, start))
    return cmp


def run_graph(job):
    binary, seed, scenarios, size = job
    cmp = compare_graph(binary, seed, scenarios, size)
    return cmp.checks, len(cmp.differences), cmp.report()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--migrate", required=True)
    parser.add_argument("--graphs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenarios", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--size", type=int, default=11, help="most revisions in a graph")
    args = parser.parse_args()
    binary = os.path.abspath(args.migrate)
    jobs = [(binary, seed, args.scenarios, args.size) for seed in range(args.seed, args.seed + args.graphs)]
    checks = 0
    failed = 0
    with multiprocessing.Pool(args.jobs) as pool:
        for graph_checks, differences, report in pool.imap(run_graph, jobs):
            checks += graph_checks
            failed += differences
            if differences:
                print(report, flush=True)
    print("alembic differential: %d graphs, %d checks, %d differences" % (args.graphs, checks, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
