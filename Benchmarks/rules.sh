#!/usr/bin/env bash
# Rule-engine benchmark: time `trailhound scan` on the run.sh CloudTrail archive with rules off
# (`--no-rules`), with the bundled pack (detectors/rules/), and with the bundled pack plus the
# SigmaHQ rules of ../shared/sigma/rules, and print each one's throughput relative to rules off
# (target: >= 0.90). Best of N runs each, page cache hot.
#
#   bash Benchmarks/rules.sh [--runs N] [--archive DIR] [--rules DIR] [--skip-build]
#
# Environment: TRAILHOUND_BIN=/path/to/trailhound uses that binary instead of building.
# Results go to stdout and Benchmarks/out/rules.md. Generate the archive first with run.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
out="$here/out"
archive="$out/archive"
rules="$top/../shared/sigma/rules"
runs=3
build=1

die() { printf 'rules.sh: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'rules.sh: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --archive) archive="${2:?--archive needs a directory}"; shift 2 ;;
    --rules) rules="${2:?--rules needs a directory}"; shift 2 ;;
    --skip-build) build=0; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[ -d "$archive/AWSLogs" ] || die "no archive at $archive (run 'bash Benchmarks/run.sh' once to generate it)"
[ -d "$rules" ] || die "no rules directory at $rules (pass --rules DIR)"
mkdir -p "$out"

bin="${TRAILHOUND_BIN:-}"
if [ -z "$bin" ]; then
  if [ "$build" = 1 ]; then
    note "building trailhound (swift build -c release) ..."
    (cd "$top" && swift build -c release >"$out/build.log" 2>&1) \
      || { tail -30 "$out/build.log" >&2; die "release build failed (full log: $out/build.log)"; }
  fi
  bin="$(cd "$top" && swift build -c release --show-bin-path 2>/dev/null)/trailhound"
fi
[ -x "$bin" ] || die "no trailhound binary at $bin"

note "warm-up read ..."
find "$archive/AWSLogs" -name '*.json.gz' -print0 | xargs -0 cat >/dev/null
loaded="$(cd "$top" && "$bin" validate --rules "$rules" 2>/dev/null | grep 'rules loaded' || true)"

declare -a names walls
# time_it NAME ARGS...: best wall time of $runs runs of `trailhound scan ARCHIVE ARGS`.
time_it() {
  local name="$1" best="" i t0 t1 w
  shift
  for ((i = 1; i <= runs; i++)); do
    t0=$(date +%s.%N)
    (cd "$top" && "$bin" scan "$archive/AWSLogs" --format json --no-progress "$@" >/dev/null 2>"$out/rules.stderr") \
      || note "$name exited with status $?"
    t1=$(date +%s.%N)
    w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$w"; fi
  done
  names+=("$name"); walls+=("$best")
}

# Interleaved, so that a change in machine load hits every variant alike.
note "timing ($runs runs each) ..."
time_it "scan --no-rules" --no-rules
time_it "scan (bundled rules)"
time_it "scan --rules SigmaHQ (bundled + SigmaHQ)" --rules "$rules"
time_it "scan --no-baselines --no-rules" --no-baselines --no-rules
time_it "scan --no-baselines --rules SigmaHQ" --no-baselines --rules "$rules"

{
  echo "# Rule engine benchmark"
  echo
  echo "- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(uname -srm), $(nproc) cores; best of $runs runs"
  echo "- Archive: \`$archive\`; rules: \`$rules\` (${loaded:-count unknown})"
  echo
  echo "| command | wall s | vs rules off |"
  echo "|---|---:|---:|"
  for i in "${!names[@]}"; do
    base="${walls[0]}"
    [[ "${names[$i]}" == *no-baselines* ]] && base="${walls[3]}"
    awk -v n="${names[$i]}" -v w="${walls[$i]}" -v b="$base" 'BEGIN { printf "| `%s` | %.2f | %.2f× |\n", n, w, b / w }'
  done
} | tee "$out/rules.md"
