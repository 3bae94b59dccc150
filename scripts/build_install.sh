#!/bin/bash
# Builds the extension and the pg_schemamig client warning-free (-Werror) and
# installs both (root).  The client is also linked onto PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_CONFIG=${PG_CONFIG:-pg_config}
make -s WERROR=1 PG_CONFIG="$PG_CONFIG"
make -s install PG_CONFIG="$PG_CONFIG" ${CLIENT_LINK_DIR:+CLIENT_LINK_DIR="$CLIENT_LINK_DIR"}
