"""Seeded random revision graphs for the differential test, written twice: as `migrate`
revision files and as Alembic scripts. Every upgrade and downgrade appends its own id and
the version rows it starts from (the rows after the step before) to a `log` table, so a
database shows which revisions ran, in which order, and the version table between steps.
"""

import os

ROWS = ("(SELECT group_concat(version_num, ' ') FROM "
        "(SELECT version_num FROM alembic_version ORDER BY version_num))")


def log_statement(verb, rid):
    """The SQL a revision's `verb` section runs: a log entry `up ID [ROWS]`."""
    return "INSERT INTO log (entry) VALUES ('%s %s [' || coalesce(%s, '') || ']')" % (
        verb, rid, ROWS)

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


class Revision:
    def __init__(self, rid, parents, deps, labels):
        self.id = rid
        self.parents = parents
        self.deps = deps
        self.labels = labels

    def requires(self):
        """What must run before this revision upgrades (and after it downgrades)."""
        return self.parents + self.deps

    def describe(self):
        text = "%s <- [%s]" % (self.id, ", ".join(self.parents))
        if self.deps:
            text += " depends_on [%s]" % ", ".join(self.deps)
        if self.labels:
            text += " labels [%s]" % ", ".join(self.labels)
        return text


def random_graph(rng, size):
    """A random DAG in creation order: bases, branch points, merges of unrelated
    revisions, depends_on on revisions it does not already require (one, or two or three,
    which may require one another), a few branch labels. With two or more dependencies
    Alembic's run order varies with Python's string hashing (see orders.py)."""
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
        if earlier and rng.random() < 0.4:
            candidates = [x for x in earlier if x not in mine]
            wanted = 1 if rng.random() < 0.6 else rng.choice([2, 3])
            deps = rng.sample(candidates, min(wanted, len(candidates)))
            for dep in deps:
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
                "def upgrade():\n    op.execute(%r)\n"
                "def downgrade():\n    op.execute(%r)\n"
                % (r.id, tup(r.parents), tup(r.labels), tup(r.deps),
                   log_statement("up", r.id), log_statement("down", r.id))
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
                "%s\n-- migrate:upgrade\n%s;\n\n-- migrate:downgrade\n%s;\n"
                % (headers, log_statement("up", r.id), log_statement("down", r.id))
            )
