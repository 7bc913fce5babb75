#!/usr/bin/env bash
# Installs the C libraries trailhound links against (Debian/Ubuntu), idempotently.
# zlib1g-dev: gzip decompression; libsqlite3-dev: the --state file; pkg-config: lets
# SwiftPM find both. chromium: the tests render the HTML investigation report in a real
# headless browser (screenshot and PDF). jq is only used by Benchmarks/run.sh for comparison.
# `setup.sh --build` installs only what building needs (scripts/release.sh).
set -euo pipefail
pkgs=(zlib1g-dev libsqlite3-dev pkg-config)
[ "${1:-}" = "--build" ] || pkgs+=(chromium)
need=()
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# moto[server] (PyPI): the S3/SQS/STS tests start a real moto_server on loopback; they are
# skipped, with the reason printed, where it is missing. Installed quietly and only once.
if [ "${1:-}" != "--build" ] && ! command -v moto_server >/dev/null 2>&1; then
  if command -v python3 >/dev/null 2>&1; then
    echo "setup: installing moto[server] (pip)" >&2
    python3 -m pip install --quiet --disable-pip-version-check 'moto[server]' >/dev/null 2>&1 \
      || echo "setup: warning: pip install 'moto[server]' failed; the S3 tests will be skipped" >&2
  else
    echo "setup: warning: python3 not found; the S3 tests (moto_server) will be skipped" >&2
  fi
fi
command -v swift >/dev/null 2>&1 || { echo "setup: error: swift (6.1 or newer) is not on PATH" >&2; exit 1; }
