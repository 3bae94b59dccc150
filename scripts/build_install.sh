#!/bin/bash
# Builds the extension and the pg_schemamig client warning-free (-Werror) and
# installs both (root).  The client is also linked onto PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s WERROR=1
make -s install
