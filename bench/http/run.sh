#!/usr/bin/env bash
# bench/http: requests per second and latency of `accord serve` on loopback,
# measured with wrk. Baseline in the same run: GET /healthz (no
# authentication, no store), so the ratio shows what authentication and the
# store cost on a small authenticated GET.
#
# Usage: [ACCORD_BENCH_THREADS=16] [ACCORD_BENCH_TAXII_OBJECTS=1000000] \
#          bench/http/run.sh [ACCORD_BINARY] [SECONDS]
# With ACCORD_BENCH_TAXII_OBJECTS=N the node first imports N generated
# TLP:GREEN indicators and a third row pages the TAXII collection 1000
# objects at a time (the issue's "TAXII page at 1 M objects").
# wrk keeps 16 connections open; cpp-httplib gives each keep-alive
# connection a worker, so fewer workers than connections shows as a long p99.
set -euo pipefail
accord="${1:-build/release/src/cli/accord}"
seconds="${2:-10}"
work="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

key="$("$accord" init --data "$work/node" --org Bench 2>/dev/null)"
taxii_objects="${ACCORD_BENCH_TAXII_OBJECTS:-0}"
if [ "$taxii_objects" -gt 0 ]; then
  /usr/bin/python3 - "$taxii_objects" "$work/bundle.json" <<'PY'
import sys, uuid
n, path = int(sys.argv[1]), sys.argv[2]
green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
ns = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
with open(path, "w") as out:
    out.write('{"type":"bundle","id":"bundle--%s","objects":[' % uuid.uuid5(ns, "taxii-bench"))
    for i in range(n):
        if i:
            out.write(",")
        out.write('{"type":"indicator","spec_version":"2.1","id":"indicator--%s",'
                  '"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",'
                  '"pattern":"[domain-name:value = \'host%d.taxii-bench.example\']","pattern_type":"stix",'
                  '"valid_from":"2026-01-01T00:00:00.000Z","object_marking_refs":["%s"]}'
                  % (uuid.uuid5(ns, str(i)), i, green))
    out.write("]}\n")
PY
  "$accord" import --data "$work/node" "$work/bundle.json" > "$work/import.log" 2>&1
  rm -f "$work/bundle.json"
fi
"$accord" serve --data "$work/node" --listen 127.0.0.1:0 --threads "${ACCORD_BENCH_THREADS:-16}" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
url="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/serve.log" | head -1)"

run() {  # name path header key [second header] [connections]
  local out
  local headers=()
  local connections="${6:-16}"
  local threads=$((connections < 2 ? 1 : 2))
  [ -n "${3:-}" ] && headers+=(-H "$3")
  [ -n "${5:-}" ] && headers+=(-H "$5")
  out="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "${headers[@]}" "$url$2")"
  # Errors and timeouts are not in wrk's latency figures: a page that took
  # longer than wrk's 2 s timeout would leave the row empty, not slow.
  echo "$out" | grep -E "Non-2xx|Socket errors" | sed "s|^|$1: |" >&2 || true
  local rps p50 p99
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  p50="$(echo "$out" | awk '$1 == "50%" {print $2}')"
  p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
  echo "| $1 | \`$2\` | $rps | $p50 | $p99 |"
  eval "rps_$4=$rps"
}

echo "| request | path | req/s | p50 | p99 |"
echo "|---|---|---:|---:|---:|"
run "baseline: health check, no auth" /healthz "" base
run "small authenticated GET" /api/v1/whoami "Authorization: Bearer $key" auth
if [ "$taxii_objects" -gt 0 ]; then
  taxii='application/taxii+json;version=2.1'
  collection="$(curl -s -H "Authorization: Bearer $key" -H "Accept: $taxii" "$url/taxii2/api/collections/" |
    /usr/bin/python3 -c 'import json,sys; print([c["id"] for c in json.load(sys.stdin)["collections"] if c["alias"] == "tlp-green"][0])')"
  # A TAXII client polls one page after another: one connection is its
  # latency; 16 show the same pages under load (latency is then queueing).
  for connections in 1 16; do
    run "TAXII page of 1000 at $taxii_objects objects, $connections connection(s)" \
      "/taxii2/api/collections/$collection/objects/?limit=1000" \
      "Authorization: Bearer $key" taxii "Accept: $taxii" "$connections"
  done
fi
echo
awk -v a="$rps_auth" -v b="$rps_base" 'BEGIN { printf "authenticated / baseline: %.2f\n", a / b }'
