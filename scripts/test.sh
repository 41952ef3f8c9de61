#!/usr/bin/env bash
# The README's second command: install dependencies, build, run every test.
# .ci/run calls this. Set ACCORD_SANITIZE=1 to build with ASan/UBSan instead.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

preset=release
if [ "${ACCORD_SANITIZE:-0}" = "1" ]; then preset=debug; fi
jobs=$(nproc)

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$jobs"

# Tests that read ../shared/data skip cleanly when it is absent.
if [ -d ../shared/data ]; then
  export ACCORD_SHARED_DATA
  ACCORD_SHARED_DATA="$(cd ../shared/data && pwd)"
fi
ctest --preset "$preset" -j"$jobs" --timeout 600

# The web UI in a real Chromium against a real `accord serve`, after the
# C++ tests so the two do not compete for the CPU.
(cd web && ACCORD_BINARY="$PWD/../build/$preset/src/cli/accord" \
   ACCORD_WEB_ROOT="$PWD/../build/$preset/src/cli/web" \
   ACCORD_E2E_OUTPUT="$PWD/../build/$preset/e2e-output" node --test --test-concurrency=1 e2e/)
