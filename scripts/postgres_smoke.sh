#!/usr/bin/env bash
# PostgreSQL smoke test (docs/postgres.md): the whole dbt project -- seeds, models, data tests,
# unit tests -- on a local PostgreSQL, over the committed fixtures.
#
#   scripts/postgres_smoke.sh [extra dbt build arguments]
#
# 1. starts the local Debian cluster (PG_CLUSTER, default 15/main) if it is down, and stops it
#    again at the end (KEEP_RUNNING=1 leaves it up);
# 2. as root: (re)creates the role (session time zone UTC) and a fresh database (byte-order
#    collation "C", as DuckDB sorts); otherwise uses the existing ones, dropping the project's
#    schemas first;
# 3. loads FIXTURES (default tests/fixtures/raw, one <table>.csv per contract table) into
#    schema raw: every contract column as text plus _loaded_at, a missing file = an empty table;
# 4. runs `dbt build` with as_of = AS_OF (default 2026-03-20 12:00:00).
# Connection: HANDOFF_PG_HOST/PORT/USER/PASSWORD/DATABASE (defaults localhost, 5432, handoff,
# handoff, handoff_smoke). Needs the postgresql package and the venv with dbt-postgres.
set -euo pipefail
cd "$(dirname "$0")/.."

export HANDOFF_TARGET=postgres
export HANDOFF_PG_HOST="${HANDOFF_PG_HOST:-localhost}"
export HANDOFF_PG_PORT="${HANDOFF_PG_PORT:-5432}"
export HANDOFF_PG_USER="${HANDOFF_PG_USER:-handoff}"
export HANDOFF_PG_PASSWORD="${HANDOFF_PG_PASSWORD:-handoff}"
export HANDOFF_PG_DATABASE="${HANDOFF_PG_DATABASE:-handoff_smoke}"
export DBT_TARGET_PATH="${DBT_TARGET_PATH:-target/pg}"
export DBT_LOG_PATH="${DBT_LOG_PATH:-logs/pg}"
export DBT_PROFILES_DIR="$PWD"
export HANDOFF_PROJECT_DIR="$PWD"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
PG_CLUSTER="${PG_CLUSTER:-15/main}"
FIXTURES="${FIXTURES:-tests/fixtures/raw}"
AS_OF="${AS_OF:-2026-03-20 12:00:00}"
BIN=.venv/bin

started_cluster=""
cleanup() {
    if [[ -n "$started_cluster" && "${KEEP_RUNNING:-0}" != 1 ]]; then
        echo "stopping PostgreSQL cluster $PG_CLUSTER"
        pg_ctlcluster "$pg_version" "$pg_name" stop
    fi
}
trap cleanup EXIT

as_user() {
    PGPASSWORD="$HANDOFF_PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$HANDOFF_PG_HOST" \
        -p "$HANDOFF_PG_PORT" -U "$HANDOFF_PG_USER" -d "$HANDOFF_PG_DATABASE" "$@"
}

# 1. the local cluster
if command -v pg_ctlcluster >/dev/null && [[ "$HANDOFF_PG_HOST" == localhost ]]; then
    read -r pg_version pg_name <<<"${PG_CLUSTER/\// }"
    status="$(pg_lsclusters -h | awk -v v="$pg_version" -v n="$pg_name" \
        '$1 == v && $2 == n { print $4 }')"
    if [[ "$status" == down ]]; then
        echo "starting PostgreSQL cluster $PG_CLUSTER"
        pg_ctlcluster "$pg_version" "$pg_name" start
        started_cluster=1
    fi
fi

# 2. role and a fresh database
if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$HANDOFF_PG_PORT" \
        -v "role=$HANDOFF_PG_USER" -v "password=$HANDOFF_PG_PASSWORD" \
        -v "db=$HANDOFF_PG_DATABASE" <<'SQL'
set client_min_messages = warning;
select format('create role %I login', :'role')
where not exists (select from pg_roles where rolname = :'role') \gexec
select format('alter role %I login password %L', :'role', :'password') \gexec
select format('alter role %I set timezone to %L', :'role', 'UTC') \gexec
select format('drop database if exists %I with (force)', :'db') \gexec
select format(
    'create database %I owner %I template template0 encoding %L lc_collate %L lc_ctype %L',
    :'db', :'role', 'UTF8', 'C', 'C'
) \gexec
SQL
else
    echo "not root: using the existing role and database $HANDOFF_PG_DATABASE"
    as_user -c 'drop schema if exists raw, rules, staging, intermediate, marts cascade'
fi

# 3. the fixtures into schema raw, columns from the contract (the dbt source declarations)
"$BIN/python" scripts/engines/warehouse_io.py load --engine postgres "$FIXTURES"
as_user -At -c "select 'loaded ' || count(*) || ' raw tables into schema raw'
    from information_schema.tables where table_schema = 'raw'"

# 4. the whole project
"$BIN/dbt" build --vars "{as_of: \"$AS_OF\"}" "$@"
