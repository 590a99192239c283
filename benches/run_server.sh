#!/usr/bin/env bash
# The server benchmark kit (the budgets of issues 10 and 11), on PostgreSQL at
# $PGHOST:$PGPORT (default 127.0.0.1:5432, user postgres) or MySQL/MariaDB at
# $MYSQL_HOST:$MYSQL_PORT (default 127.0.0.1:3306, user root, password in MYSQL_PWD):
# - apply: `migrate upgrade head` over 1,000 small revisions against one psql / mariadb
#   client session running the same SQL plus one version UPDATE per revision (in one
#   transaction per revision on PostgreSQL; MySQL commits DDL implicitly);
# - inspect: see `cargo bench --bench pg_inspect` and `--bench my_inspect` (query counts
#   and the ratio to pg_dump --schema-only / mariadb-dump --no-data);
# - check: a no-op `migrate check` on 1,000 tables, first run (no cache: schema.sql is
#   loaded into a scratch database) and repeated, against `alembic check` (psycopg2 or
#   pymysql).
# Needs alembic + psycopg2-binary + pymysql (pip, into a venv under the work dir).
# Figures go to docs/benchmarks.md.
#
# usage: benches/run_server.sh postgres|mysql [WORK_DIR]     (default: a new temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
engine=${1:?usage: benches/run_server.sh postgres|mysql [WORK_DIR]}
work=${2:-$(mktemp -d)}
apply_n=${APPLY_REVISIONS:-1000}
schema_n=${SCHEMA_TABLES:-1000}

case $engine in
postgres)
    export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
    server="postgres://$PGUSER@$PGHOST:$PGPORT"
    # client DB [ARGS]: the engine's own client on database DB, reading SQL on stdin.
    client() { local db=$1; shift; psql -qAtX -v ON_ERROR_STOP=1 -d "$db" "$@"; }

    ;;
mysql)
    host=${MYSQL_HOST:-127.0.0.1} port=${MYSQL_PORT:-3306} user=${MYSQL_USER:-root}
    server="mysql://$user@$host:$port"
    client() { local db=$1; shift; mariadb -h "$host" -P "$port" -u "$user" -N "$db" "$@"; }

    ;;
*) echo "engine: postgres or mysql, not $engine" >&2; exit 2 ;;
esac
history_count="SELECT count(*) FROM migrate_version_history"
# The command lines for paired.py (strings run through sh): a new empty database, and
# the client running a script on one.
fresh_line() {
    if [ "$engine" = postgres ]; then
        echo "dropdb --if-exists --force $1 && createdb $1"
    else
        echo "mariadb -h $host -P $port -u $user -e 'DROP DATABASE IF EXISTS $1; CREATE DATABASE $1'"
    fi
}
fresh() { sh -c "$(fresh_line "$1")"; }
client_line() {
    if [ "$engine" = postgres ]; then
        echo "psql -qX -v ON_ERROR_STOP=1 -d $1 -o /dev/null -f $2"
    else
        echo "mariadb -h $host -P $port -u $user $1 < $2"
    fi
}

venv=$work/venv
if [ ! -x "$venv/bin/alembic" ] || ! "$venv/bin/python" -c "import psycopg2, pymysql" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q alembic psycopg2-binary pymysql
fi

cargo build --release -q
migrate=$repo/target/release/migrate

sections=${SECTIONS:-apply check}
want() { [[ " $sections " == *" $1 "* ]]; }

if want apply; then
echo "== $engine apply: $apply_n revisions (load: $(cut -d' ' -f1-3 /proc/loadavg))"
dir=$work/$engine-apply
rm -rf "$dir" && python3 benches/generate.py "apply-$engine" "$dir" "$apply_n" "$server/bench_apply"
cd "$dir"
fresh bench_apply && "$migrate" -q upgrade head
echo "$history_count" | client bench_apply
fresh bench_apply
python3 "$repo/benches/paired.py" "${APPLY_ROUNDS:-10}" \
    "$(fresh_line bench_apply) && $(fresh_line bench_client)" \
    --json "$work/$engine-apply.json" \
    "client session" "$(client_line bench_client equivalent.sql)" \
    "migrate upgrade head" "$migrate -q upgrade head"
cd "$repo"
fi

if want check; then
echo "== $engine check: $schema_n tables, no changes (load: $(cut -d' ' -f1-3 /proc/loadavg))"
dir=$work/$engine-schema
rm -rf "$dir" && python3 benches/generate.py "schema-$engine" "$dir" "$schema_n" "$server/bench_check"
cd "$dir"
# Alembic gets a database of its own: `alembic check` adds its alembic_version table.
for db in bench_check bench_check_alembic; do
    fresh $db
    client $db < schema.sql
done
"$migrate" revision --autogenerate -m none
"$venv/bin/alembic" check
# First run: no cache, so schema.sql is loaded into a scratch database and inspected.
python3 "$repo/benches/paired.py" "${COLD_ROUNDS:-5}" "rm -rf .migrate" --json "$work/$engine-cold.json" \
    "alembic check" "$venv/bin/alembic check" \
    "migrate check (first run)" "$migrate -q check"
# Repeated runs: schema.sql unchanged, the model comes from .migrate/.
"$migrate" -q check
python3 "$repo/benches/paired.py" "${WARM_ROUNDS:-5}" "" --json "$work/$engine-warm.json" \
    "alembic check" "$venv/bin/alembic check" \
    "migrate check" "$migrate -q check"
cd "$repo"
fi
