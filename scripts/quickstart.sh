#!/usr/bin/env bash
# The README's first command: install dependencies, build, create a node on
# the embedded SQLite default with the bundled sample data, and start it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release -DACCORD_BUILD_TESTS=OFF -DACCORD_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release -j"$(nproc)"
accord=build/release/src/cli/accord
data="${ACCORD_DATA:-accord-data}"

if [ ! -f "$data/accord.db" ]; then
  "$accord" init --data "$data" --org "Demo CERT" --country FR --kind cert > "$data.admin-key" 2>/dev/null \
    || { "$accord" init --data "$data" --org "Demo CERT" --country FR --kind cert; exit 1; }
  chmod 600 "$data.admin-key"
  echo "Node created in $data; admin key saved to $data.admin-key (readable by you only)."
  "$accord" warninglist add --data "$data" samples/warninglist-demo-resolvers.json
  "$accord" import --data "$data" samples/*.stix.json samples/*.misp.json samples/*.csv samples/*.txt
fi

echo
echo "Try:  $accord search --data $data evil-c2.example"
echo "      $accord export --data $data --format stix -o export.json"
echo "      $accord match --data $data samples/telemetry/*      # early warning on sample sensor logs"
if "$accord" --help 2>/dev/null | grep -q '^  serve'; then
  exec "$accord" serve --data "$data"
fi
