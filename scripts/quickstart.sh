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
  # The 24/7 network: a partner unit and both points of contact.
  "$accord" org create "Demo Police DE" --data "$data" --country DE --kind law-enforcement >/dev/null
  "$accord" poc set "Demo CERT" --data "$data" --time-zone Europe/Paris --languages fr,en \
    --channel "phone:+33 1 00 00 00 00" --backup-name "Duty officer" --backup-channel "phone:+33 1 00 00 00 01" >/dev/null
  "$accord" poc set "Demo Police DE" --data "$data" --time-zone Europe/Berlin --languages de,en \
    --channel "email:247@police.example" >/dev/null
  # An infostealer operation on synthetic logs (fictional data, made here).
  "$accord" stealer synth --machines 300 --credentials 20 --output "$data.stealer-logs" >/dev/null
  rm -f "$data.stealer-logs/ground-truth.json"
  "$accord" stealer ingest --data "$data" --operation Demo "$data.stealer-logs" samples/stealer/c2.csv >/dev/null \
    || [ $? -eq 3 ]  # 3: ingested, with problems reported on stderr
fi

echo
echo "Try:  $accord search --data $data evil-c2.example"
echo "      $accord export --data $data --format stix -o export.json"
echo "      $accord match --data $data samples/telemetry/*      # early warning on sample sensor logs"
echo "      $accord stealer report --data $data --operation Demo  # infostealer takedown on synthetic logs"
echo "      $accord poc list --data $data; $accord request types    # the 24/7 network"
if "$accord" --help 2>/dev/null | grep -q '^  serve'; then
  exec "$accord" serve --data "$data"
fi
