#!/usr/bin/env bash
# Installs every build, test and runtime dependency of Accord from Debian's
# packages (and, for the web UI, the npm registry). Idempotent; needs root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang-14 libclang-rt-14-dev
  libsqlite3-dev sqlite3 libsimdjson-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libidn2-dev libpsl-dev publicsuffix libssl-dev libsodium-dev libarchive-dev libzstd-dev liblzma-dev zlib1g-dev
  libcurl4-openssl-dev libcpp-httplib-dev libmaxminddb-dev libtomlplusplus-dev libyaml-dev libxxhash-dev
  libhowardhinnant-date-dev libpcre2-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  libpq-dev postgresql tor-geoipdb
  wrk zstd xz-utils gzip python3 python3-prometheus-client time openssl
  chromium
)
# The web UI is built with Node.js and npm: Debian's, unless a Node.js is
# already installed (e.g. from NodeSource, which bundles its own npm and
# conflicts with Debian's npm package).
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi

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
node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>18||(a===18&&b>=19)?0:1)' \
  || { echo "setup: Node.js >= 18.19 is needed to build web/ (found $(node --version))" >&2; exit 1; }
# The web UI's packages from the npm registry, as package-lock.json pins them.
# (`npm install`, not `npm ci`: npm 11 leaves other platforms' optional
# packages out of the lock file and `npm ci` then calls it out of date.)
if [ ! web/node_modules/.package-lock.json -nt web/package-lock.json ]; then
  (cd web && npm install --no-audit --no-fund --loglevel=error)
fi
echo "setup: dependencies present"
