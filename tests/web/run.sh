#!/usr/bin/env bash
# ctest entry of the browser test: installs playwright-core from package-lock.json into
# tests/web/node_modules (npm ci, only when the lock file changed), then runs status.test.mjs.
#   tests/web/run.sh HUB_BIN CLIENT_BIN ARTIFACT_DIR [DOCS_DIR]
# Exits 77 (skipped) when Node.js or Chromium is missing (scripts/setup.sh installs chromium).
set -euo pipefail
. "$(dirname "$0")/../../scripts/test-clock.sh"  # the suite's fixed instant for hub and client
args=()
for a in "$@"; do args+=("$(realpath -m "$a")"); done
cd "$(dirname "$0")"
if ! command -v node >/dev/null; then echo "web test skipped: no node"; exit 77; fi
if [ ! -x "${LWC_CHROMIUM:-/usr/bin/chromium}" ]; then echo "web test skipped: no chromium"; exit 77; fi
if ! cmp -s package-lock.json node_modules/.lwc-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lwc-lock
fi
exec node status.test.mjs "${args[@]}"
