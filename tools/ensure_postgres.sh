#!/usr/bin/env bash
# Make sure a PostgreSQL server (initdb, pg_ctl) is installed, for the PostgreSQL store tests.
# Installs Debian's package when it is missing and we are root; otherwise says what to do.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL is not installed; the PostgreSQL tests will be skipped (install it: apt-get install postgresql)" >&2
  exit 0
fi
echo "installing PostgreSQL from Debian's packages..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
