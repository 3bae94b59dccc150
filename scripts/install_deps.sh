#!/bin/bash
# Installs what building and testing pg_schemamig needs on Debian 12 (root).
# Idempotent: packages already present are not fetched again.
set -euo pipefail

PKGS=(postgresql-15 postgresql-server-dev-15 postgresql-client-15 libpq-dev
      libipc-run-perl make gcc libc6-dev
      python3-sqlmodel python3-sqlalchemy python3-alembic python3-psycopg2)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install_deps: missing packages (${missing[*]}); run as root" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
