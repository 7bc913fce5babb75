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
command -v swift >/dev/null 2>&1 || { echo "setup: error: swift (6.1 or newer) is not on PATH" >&2; exit 1; }
