#!/usr/bin/env bash
# What `make test-engines` needs beyond `make`'s venv, on a machine with python3, pip and venv
# only: the PostgreSQL server and a Java runtime for Spark (Debian packages, installed as root
# when missing) and pyspark + dbt-spark (requirements-engines.lock, into .venv). Idempotent: a
# second run installs nothing and takes about a second.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=()
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && ! command -v initdb >/dev/null; then
    packages+=(postgresql)
fi
if ! command -v java >/dev/null && [[ -z "${JAVA_HOME:-}" ]]; then
    packages+=(openjdk-17-jre-headless)
fi
if ((${#packages[@]})); then
    if [[ "$(id -u)" != 0 ]]; then
        echo "install.sh: run as root, or install these Debian packages first: ${packages[*]}" >&2
        exit 1
    fi
    echo "installing ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

.venv/bin/uv pip install --python .venv/bin/python --compile-bytecode --quiet -r requirements-engines.lock
