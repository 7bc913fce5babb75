#!/usr/bin/env bash
# Throughput per log format: generates bigger Kubernetes, GCP, Azure and workflow corpora with
# tools/gen_sources.py and front-door access logs (nginx, nginx JSON, ALB, Envoy, GCP load
# balancer, Application Gateway) with tools/gen_frontdoor.py (Benchmarks/out/sources/, reused
# when present) and times `trailhound scan` over each, against `zcat` over the same files.
# Prints MB/s (decompressed input) and events/s per format, best of --runs.
#
#   bash Benchmarks/formats.sh [--scale N] [--runs N] [--skip-build] [--regenerate] [--only "f …"]
#
# --scale N gives about N × 6 MB of decompressed input per format (default 8); --only limits the
# run to the named formats (kubernetes gcp azure workflow frontdoor/nginx frontdoor/alb …).
# Environment: TRAILHOUND_BIN=/path/to/trailhound uses that binary instead of building.
# Results go to stdout and Benchmarks/out/formats.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
out="$here/out"
data="$out/sources"
scale=8
runs=3
build=1
regen=0
only=""

die() { printf 'formats.sh: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'formats.sh: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="${2:?--scale needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --skip-build) build=0; shift ;;
    --regenerate) regen=1; shift ;;
    --only) only="${2:?--only needs a list}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$scale" =~ ^[1-9][0-9]*$ ]] || die "--scale must be a positive integer"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
command -v python3 >/dev/null || die "python3 is required to generate the corpora"
mkdir -p "$out"

bin="${TRAILHOUND_BIN:-}"
if [ -z "$bin" ]; then
  if [ "$build" = 1 ]; then
    note "building trailhound (swift build -c release) ..."
    (cd "$top" && swift build -c release >"$out/build-formats.log" 2>&1) \
      || { tail -30 "$out/build-formats.log" >&2; die "release build failed (log: $out/build-formats.log)"; }
  fi
  bin="$(cd "$top" && swift build -c release --show-bin-path 2>/dev/null)/trailhound"
fi
[ -x "$bin" ] || die "no trailhound binary at $bin (build it or set TRAILHOUND_BIN)"

stamp="$data/.scale"
if [ "$regen" = 1 ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$scale" ]; then
  note "generating corpora at scale $scale in $data ..."
  rm -rf "$data"
  python3 "$top/tools/gen_sources.py" bench "$data" --scale "$scale"
  python3 "$top/tools/gen_frontdoor.py" bench "$data/frontdoor" --scale "$scale"
  echo "$scale" >"$stamp"
fi

now() { date +%s.%N; }
best_of() {  # best wall time of "$@" over $runs runs (stdout/stderr discarded)
  local best="" t0 t1 t
  for _ in $(seq "$runs"); do
    t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

report="$out/formats.md"
{
  echo "| format | files | input MB (decompressed) | events | trailhound s | MB/s | events/s | zcat MB/s | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$report"
all="kubernetes gcp azure workflow frontdoor/nginx frontdoor/nginx-json frontdoor/alb frontdoor/envoy frontdoor/gcp-lb frontdoor/azure-appgw"
for f in ${only:-$all}; do
  dir="$data/$f"
  [ -d "$dir" ] || die "missing $dir"
  files=$(find "$dir" -type f | wc -l)
  summary=$("$bin" scan "$dir" --detectors "$top/detectors" --formats "$top/formats" --no-progress 2>&1 >/dev/null \
    | grep 'trailhound: scanned' || true)
  mb=$(echo "$summary" | sed -E 's/.* ([0-9.]+) MB decompressed.*/\1/')
  events=$(echo "$summary" | sed -E 's/.*records, ([0-9]+) events.*/\1/')
  t=$(best_of "$bin" scan "$dir" --detectors "$top/detectors" --formats "$top/formats" --no-progress --quiet)
  z=$(best_of sh -c "find '$dir' -type f -name '*.gz' -print0 | xargs -0 zcat >/dev/null; find '$dir' -type f ! -name '*.gz' -print0 | xargs -0 cat >/dev/null")
  line=$(awk -v f="$f" -v n="$files" -v mb="$mb" -v ev="$events" -v t="$t" -v z="$z" 'BEGIN {
    printf "| %s | %d | %.1f | %d | %.2f | %.1f | %.0f | %.1f | %.2f |", f, n, mb, ev, t, mb / t, ev / t, mb / z, z / t }')
  echo "$line" >>"$report"
done
cat "$report"
note "written to $report (binary: $bin)"
