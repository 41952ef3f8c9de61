#!/usr/bin/env bash
# Installs every build, test and runtime dependency of Accord from Debian's
# packages (and, for the web UI, the npm registry). Idempotent; needs root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang-14 libclang-rt-14-dev
  libsqlite3-dev sqlite3 libsimdjson-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libidn2-dev libpsl-dev libssl-dev libsodium-dev libarchive-dev libzstd-dev zlib1g-dev
  libcurl4-openssl-dev libcpp-httplib-dev libmaxminddb-dev libtomlplusplus-dev libxxhash-dev
  libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  libpq-dev postgresql tor-geoipdb
  wrk zstd gzip python3 time openssl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages (${missing[*]}); run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: dependencies present"
