#!/usr/bin/env bash
# The PostgreSQL benchmark kit (issue 10's budgets), on the server at $PGHOST:$PGPORT
# (default 127.0.0.1:5432, user postgres):
# - apply: `migrate upgrade head` over 1,000 small revisions against one psql session
#   running the same SQL, one transaction and one version UPDATE per revision;
# - inspect: see `cargo bench --bench pg_inspect` (query counts and the ratio to
#   pg_dump --schema-only on 2,000 tables);
# - check: a no-op `migrate check` on 1,000 tables, first run (no cache: schema.sql is
#   loaded into a scratch database) and repeated, against `alembic check` (psycopg2).
# Needs hyperfine (apt) and alembic + psycopg2-binary (pip, into a venv under the work dir).
# Figures go to docs/benchmarks.md.
#
# usage: benches/run_postgres.sh [WORK_DIR]     (default: a new temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${1:-$(mktemp -d)}
apply_n=${APPLY_REVISIONS:-1000}
schema_n=${SCHEMA_TABLES:-1000}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
server="postgres://$PGUSER@$PGHOST:$PGPORT"

command -v hyperfine >/dev/null || { apt-get install -y -q hyperfine; }
if [ ! -x "$work/venv/bin/alembic" ] || ! "$work/venv/bin/python" -c "import psycopg2" 2>/dev/null; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q alembic psycopg2-binary
fi

cargo build --release -q
migrate=$repo/target/release/migrate

sections=${SECTIONS:-apply check}
want() { [[ " $sections " == *" $1 "* ]]; }
fresh() { dropdb --if-exists --force "$1" && createdb "$1"; }

if want apply; then
echo "== apply: $apply_n revisions (load: $(cut -d' ' -f1-3 /proc/loadavg))"
rm -rf "$work/pg-apply" && python3 benches/generate.py apply-postgres "$work/pg-apply" "$apply_n" "$server/bench_apply"
cd "$work/pg-apply"
fresh bench_apply && "$migrate" -q upgrade head && psql -qAtX -d bench_apply -c "SELECT count(*) FROM migrate_version_history"
python3 "$repo/benches/paired.py" "${APPLY_ROUNDS:-10}" \
    "dropdb --if-exists --force bench_apply && createdb bench_apply && dropdb --if-exists --force bench_psql && createdb bench_psql" \
    --json "$work/pg-apply.json" \
    "psql session" "psql -qX -v ON_ERROR_STOP=1 -d bench_psql -f equivalent.sql -o /dev/null" \
    "migrate upgrade head" "$migrate -q upgrade head"
cd "$repo"
fi

if want check; then
echo "== check: $schema_n tables, no changes (load: $(cut -d' ' -f1-3 /proc/loadavg))"
rm -rf "$work/pg-schema" && python3 benches/generate.py schema-postgres "$work/pg-schema" "$schema_n" "$server/bench_check"
cd "$work/pg-schema"
# Alembic gets a database of its own: `alembic check` adds its alembic_version table.
for db in bench_check bench_check_alembic; do
    fresh $db
    psql -qX -v ON_ERROR_STOP=1 -d $db -f schema.sql -o /dev/null
done
"$migrate" revision --autogenerate -m none
"$work/venv/bin/alembic" check
# First run: no cache, so schema.sql is loaded into a scratch database and inspected.
python3 "$repo/benches/paired.py" "${COLD_ROUNDS:-5}" "rm -rf .migrate" --json "$work/pg-cold.json" \
    "alembic check" "$work/venv/bin/alembic check" \
    "migrate check (first run)" "$migrate -q check"
# Repeated runs: schema.sql unchanged, the model comes from .migrate/.
"$migrate" -q check
python3 "$repo/benches/paired.py" "${WARM_ROUNDS:-5}" "" --json "$work/pg-warm.json" \
    "alembic check" "$work/venv/bin/alembic check" \
    "migrate check" "$migrate -q check"
cd "$repo"
fi
