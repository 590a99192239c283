#!/bin/bash
# Measures how often a SIGINT at 0.02-0.20 s into `revision --autogenerate` (Pagila on
# PostgreSQL at 127.0.0.1:5432) leaves the scratch database behind. usage: benches/scratch_interrupt.sh
# (guide.md: the scratch database "is dropped when the command ends, also when schema.sql
# fails, and on Ctrl-C or SIGTERM".)
repo=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$repo/target/release/migrate}; DB=explore_leak; D=$(mktemp -d); cd $D; P="psql -q -h 127.0.0.1 -U postgres"
$P -c "drop database if exists $DB" -c "create database $DB" 2>/dev/null
$B init . >/dev/null 2>&1; sed -i "s#^url = .*#url = \"postgres://postgres@127.0.0.1:5432/$DB\"#" config.toml
cp ${SCHEMA:-$repo/../shared/schemas/pagila/postgres.sql} schema.sql
LEAKED=0
for d in 0.02 0.04 0.06 0.08 0.10 0.12 0.14 0.16 0.18 0.20; do
  rm -rf .migrate migrations/*; $B revision --autogenerate -m x >/dev/null 2>&1 & p=$!; sleep $d; kill -INT $p; wait $p; rc=$?; PIDS="$PIDS $p"
  left=$($P -Atc "select string_agg(datname, ' ') from pg_database where datname like 'migrate_scratch_' || $p || '_%'"); [ -n "$left" ] && LEAKED=$((LEAKED+1))
  echo "SIGINT after ${d}s: rc=$rc scratch databases left by this run: $left"
done
rm -f migrations/*
echo "runs that leaked their scratch database: $LEAKED of 10 (expected 0)"
for p in $PIDS; do for n in $($P -Atc "select datname from pg_database where datname like 'migrate_scratch_${p}_%'"); do $P -c "drop database $n"; done; done
$P -c "drop database $DB"; cd /; rm -rf $D
