#!/usr/bin/env bash
# bench/http: requests per second and latency of `accord serve` on loopback,
# measured with wrk. Baseline in the same run: GET /healthz (no
# authentication, no store), so the ratio shows what authentication and the
# store cost on a small authenticated GET.
#
# Usage: [ACCORD_BENCH_THREADS=16] bench/http/run.sh [ACCORD_BINARY] [SECONDS]
# wrk keeps 16 connections open; cpp-httplib gives each keep-alive
# connection a worker, so fewer workers than connections shows as a long p99.
set -euo pipefail
accord="${1:-build/release/src/cli/accord}"
seconds="${2:-10}"
work="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

key="$("$accord" init --data "$work/node" --org Bench 2>/dev/null)"
"$accord" serve --data "$work/node" --listen 127.0.0.1:0 --threads "${ACCORD_BENCH_THREADS:-16}" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
url="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/serve.log" | head -1)"

run() {  # name path [header]
  local out
  if [ -n "${3:-}" ]; then
    out="$(wrk -t2 -c16 -d"${seconds}s" --latency -H "$3" "$url$2")"
  else
    out="$(wrk -t2 -c16 -d"${seconds}s" --latency "$url$2")"
  fi
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
echo
awk -v a="$rps_auth" -v b="$rps_base" 'BEGIN { printf "authenticated / baseline: %.2f\n", a / b }'
