#!/usr/bin/env bash
# The plots of docs/benchmarks.md, in one run: graph load (`migrate heads` against
# `alembic heads`), `migrate upgrade head` against the sqlite3 shell, psql and the mariadb
# client running the equivalent SQL, and a repeated `migrate check` against `alembic
# check`, each at a few sizes; writes docs/plots/*.svg and docs/plots/figures.json.
# Sizes, rounds and sections: see benches/plots.py (GRAPH_SIZES, APPLY_SIZES,
# CHECK_SIZES, ROUNDS, SERVER_ROUNDS, SECTIONS). A quick run:
#   GRAPH_SIZES="100 300" APPLY_SIZES="30 100" CHECK_SIZES="30 100" ROUNDS=2 SERVER_ROUNDS=1 benches/plot.sh
# Needs sqlite3, psql/dropdb/createdb and mariadb (apt), the PostgreSQL and MariaDB
# servers of run_server.sh, and alembic + psycopg2-binary + pymysql (pip, into a venv
# under the work dir).
#
# usage: benches/plot.sh [WORK_DIR]     (default: a new temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${1:-$(mktemp -d)}
mkdir -p "$work"

command -v sqlite3 >/dev/null || { apt-get install -y -q sqlite3; }
venv=$work/venv
if [ ! -x "$venv/bin/alembic" ] || ! "$venv/bin/python" -c "import psycopg2, pymysql" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q alembic psycopg2-binary pymysql
fi

cargo build --release -q
python3 benches/plots.py measure "$work" "$repo/docs/plots" "$repo/target/release/migrate" "$venv/bin/alembic"
