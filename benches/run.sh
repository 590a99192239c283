#!/usr/bin/env bash
# The benchmark kit: times `migrate heads`/`history` on 10,000 revisions against reading the
# files and against `alembic heads`, `migrate upgrade head` over 1,000 small revisions
# against the sqlite3 shell running the same SQL, and `migrate check`/autogenerate on a
# 1,000-table schema (first run against the sqlite3 shell loading schema.sql, repeated
# runs against `alembic check` on the same tables). Needs hyperfine and sqlite3 (apt) and
# alembic (pip, installed into a venv under the work dir). Figures go to docs/benchmarks.md.
#
# usage: benches/run.sh [WORK_DIR]     (default: a new temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${1:-$(mktemp -d)}
graph_n=${GRAPH_REVISIONS:-10000}
apply_n=${APPLY_REVISIONS:-1000}
schema_n=${SCHEMA_TABLES:-1000}

command -v hyperfine >/dev/null || { apt-get install -y -q hyperfine; }
command -v sqlite3 >/dev/null || { apt-get install -y -q sqlite3; }
if [ ! -x "$work/venv/bin/alembic" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q alembic
fi

cargo build --release -q
migrate=$repo/target/release/migrate

sections=${SECTIONS:-graph apply autogen}
want() { [[ " $sections " == *" $1 "* ]]; }

if want graph; then
echo "== graph: $graph_n revisions"
rm -rf "$work/graph" && python3 benches/generate.py graph "$work/graph" "$graph_n"
cd "$work/graph"
"$migrate" heads
"$work/venv/bin/alembic" heads
hyperfine -N --warmup 3 --export-json "$work/graph.json" \
    -n cat "sh -c 'cat migrations/* > /dev/null'" \
    -n "migrate heads" "$migrate heads" \
    -n "migrate history" "sh -c '$migrate history > /dev/null'"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/alembic.json" \
    -n "alembic heads" "$work/venv/bin/alembic heads"

fi

if want apply; then
echo "== apply: $apply_n revisions"
rm -rf "$work/apply" && python3 "$repo/benches/generate.py" apply "$work/apply" "$apply_n"
cd "$work/apply"
hyperfine -N --warmup 1 --runs 10 --export-json "$work/apply.json" \
    --prepare "rm -f bench.db bench.db-journal shell.db shell.db-journal" \
    -n "sqlite3 shell" "sh -c 'sqlite3 shell.db < equivalent.sql'" \
    -n "migrate upgrade head" "$migrate -q upgrade head"

fi

if want autogen; then
echo "== autogenerate and check: $schema_n tables, no changes (load: $(cut -d' ' -f1-3 /proc/loadavg))"
for n in $((schema_n / 4)) $((schema_n / 2)) "$schema_n" $((schema_n * 2)); do
    rm -rf "$work/schema$n" && python3 "$repo/benches/generate.py" schema "$work/schema$n" "$n"
    sqlite3 "$work/schema$n/bench.db" < "$work/schema$n/schema.sql"
done
cd "$work/schema$schema_n"
cp bench.db alembic.db   # alembic check adds its alembic_version table to the database
"$migrate" revision --autogenerate -m none
"$work/venv/bin/alembic" check
# The budgets are ratios, measured with benches/paired.py: the commands run in
# alternation, round after round, so the shared machine's load falls on all alike.
# First run: no cache, so schema.sql is loaded into a scratch database (as the shell does).
python3 "$repo/benches/paired.py" "${COLD_ROUNDS:-15}" "rm -rf .migrate" --json "$work/cold.json" \
    "sqlite3 load schema.sql" "sqlite3 :memory: < schema.sql" \
    "migrate check (first run)" "$migrate -q check" \
    "migrate autogenerate (first run)" "$migrate -q revision --autogenerate -m none"
# Repeated runs: schema.sql unchanged, the model comes from .migrate/.
"$migrate" -q check
python3 "$repo/benches/paired.py" "${ALEMBIC_ROUNDS:-5}" "" --json "$work/warm.json" \
    "alembic check" "$work/venv/bin/alembic check" \
    "migrate check" "$migrate -q check" \
    "migrate autogenerate" "$migrate -q revision --autogenerate -m none" \
    "sqlite3 .schema" "sqlite3 bench.db .schema"
# The spread of the repeated runs.
hyperfine -N --warmup 3 --runs "${WARM_RUNS:-30}" --export-json "$work/autogen.json" \
    -n "migrate check" "$migrate -q check" \
    -n "migrate autogenerate" "$migrate -q revision --autogenerate -m none"
cmds=()
for n in $((schema_n / 4)) $((schema_n / 2)) "$schema_n" $((schema_n * 2)); do
    cmds+=(-n "check $n" "sh -c 'cd $work/schema$n && $migrate -q check'")
done
hyperfine -N --warmup 1 --runs 5 --export-json "$work/scaling.json" \
    --prepare "sh -c 'rm -rf $work/schema*/.migrate'" "${cmds[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def means(name):
    try:
        return {r["command"]: r["mean"] for r in json.load(open(f"{work}/{name}.json"))["results"]}
    except FileNotFoundError:
        return None
g, a, u = means("graph"), means("alembic"), means("apply")
print()
if g and a:
  print(f"cat migrations/*        {g['cat']*1000:8.1f} ms")
  print(f"migrate heads           {g['migrate heads']*1000:8.1f} ms  ({g['migrate heads']/g['cat']:.2f}x cat)")
  print(f"migrate history         {g['migrate history']*1000:8.1f} ms  ({g['migrate history']/g['cat']:.2f}x cat)")
  print(f"alembic heads           {a['alembic heads']*1000:8.1f} ms  ({a['alembic heads']/g['migrate heads']:.0f}x migrate heads)")
if u:
  print(f"sqlite3 shell           {u['sqlite3 shell']*1000:8.1f} ms")
  print(f"migrate upgrade head    {u['migrate upgrade head']*1000:8.1f} ms  ({u['migrate upgrade head']/u['sqlite3 shell']:.2f}x sqlite3)")
def paired(name):
    try:
        return {r["command"]: r for r in json.load(open(f"{work}/{name}.json"))["results"]}
    except FileNotFoundError:
        return None
# Medians of the paired runs: wall-clock and CPU (user + system).
co, wa, sc = paired("cold"), paired("warm"), means("scaling")
if co and wa:
  row = lambda r, note: print(f"{r['command']:<33} {r['wall']*1000:8.1f} ms wall {r['cpu']*1000:8.1f} ms cpu  {note}")
  load = co["sqlite3 load schema.sql"]
  row(load, "")
  for name in ("migrate check (first run)", "migrate autogenerate (first run)"):
      r = co[name]
      row(r, f"({r['wall']/load['wall']:.2f}x / {r['cpu']/load['cpu']:.2f}x sqlite3 load)")
  alembic = wa["alembic check"]
  row(alembic, "")
  row(wa["sqlite3 .schema"], "")
  for name in ("migrate check", "migrate autogenerate"):
      r = wa[name]
      row(r, f"(1/{alembic['wall']/r['wall']:.0f} / 1/{alembic['cpu']/r['cpu']:.0f} of alembic check)")
if sc:
  for name, mean in sorted(sc.items(), key=lambda kv: int(kv[0].split()[1])):
      tables = int(name.split()[1])
      print(f"{name + ' (first run)':<23} {mean*1000:8.1f} ms  ({mean/tables*1e6:.0f} us per table)")
PY
