#!/usr/bin/env bash
# End-to-end benchmark: time `trailhound scan` against `zcat` (and `zcat | jq`) on the same
# CloudTrail archive, with a hot page cache, and print throughput, peak RSS and ratios.
#
#   bash Benchmarks/run.sh [--mb N] [--identities N] [--runs N] [--archive DIR] [--skip-build]
#
# Environment: TRAILHOUND_BIN=/path/to/trailhound uses that binary instead of building.
# Results go to stdout and Benchmarks/out/results.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
out="$here/out"
archive="$out/archive"
mb=400
identities=3000
runs=3
build=1

die() { printf 'run.sh: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'run.sh: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb="${2:?--mb needs a value}"; shift 2 ;;
    --identities) identities="${2:?--identities needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --archive) archive="${2:?--archive needs a directory}"; shift 2 ;;
    --skip-build) build=0; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
command -v python3 >/dev/null || die "python3 is required to generate the archive"
command -v zcat >/dev/null || die "zcat (gzip) is required"
mkdir -p "$out"

# --- 1. the binary ---------------------------------------------------------------------
bin="${TRAILHOUND_BIN:-}"
if [ -z "$bin" ]; then
  if [ "$build" = 1 ]; then
    command -v swift >/dev/null || die "swift not found; install Swift or set TRAILHOUND_BIN"
    note "building trailhound (swift build -c release) ..."
    (cd "$top" && swift build -c release >"$out/build.log" 2>&1) \
      || { tail -30 "$out/build.log" >&2; die "release build failed (full log: $out/build.log)"; }
  fi
  bin="$(cd "$top" && swift build -c release --show-bin-path 2>/dev/null)/trailhound"
fi
[ -x "$bin" ] || die "no trailhound binary at $bin (build it or set TRAILHOUND_BIN)"

# --- 2. the archive --------------------------------------------------------------------
if [ ! -f "$archive/archive.json" ]; then
  note "generating a ${mb} MB archive with ${identities} identities in $archive ..."
  python3 "$here/make_archive.py" "$archive" --mb "$mb" --identities "$identities" >/dev/null
fi
[ -d "$archive/AWSLogs" ] || die "$archive has no AWSLogs/ folder"
list="$out/files.list0"
find "$archive/AWSLogs" -path '*/CloudTrail/*' -name '*.json.gz' -print0 | sort -z >"$list"
nfiles=$(tr -cd '\0' <"$list" | wc -c)
[ "$nfiles" -gt 0 ] || die "no CloudTrail log files under $archive/AWSLogs"

# --- 3. warm-up: page cache hot, and the decompressed size -------------------------------
note "warm-up read of $nfiles files ..."
bytes=$(xargs -0 cat <"$list" | zcat | wc -c)
events=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"])' "$archive/archive.json" 2>/dev/null || echo 0)

# --- 4. timing ---------------------------------------------------------------------------
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then gnu_time=/usr/bin/time; fi
[ -n "$gnu_time" ] || note "GNU time not found (Debian package 'time'): peak RSS will be n/a"

declare -a names walls rsss codes
# time_it NAME COMMAND: best wall time of $runs runs, peak RSS (max of any process in the pipeline).
time_it() {
  local name="$1" cmd="$2" best="" rss="n/a" code=0 i t0 t1 w tf
  tf="$(mktemp)"
  for ((i = 1; i <= runs; i++)); do
    t0=$(date +%s.%N)
    if [ -n "$gnu_time" ]; then
      "$gnu_time" -v -o "$tf" bash -o pipefail -c "$cmd" || code=$?
    else
      bash -o pipefail -c "$cmd" || code=$?
    fi
    t1=$(date +%s.%N)
    w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$w"; fi
    if [ -n "$gnu_time" ]; then
      local kb
      kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
      [ -n "$kb" ] && rss=$(( kb / 1024 ))
    fi
  done
  rm -f "$tf"
  [ "$code" = 0 ] || note "$name exited with status $code"
  names+=("$name"); walls+=("$best"); rsss+=("$rss"); codes+=("$code")
}

files_cmd="xargs -0 cat < '$list'"
note "timing zcat ($runs runs) ..."
time_it "zcat" "$files_cmd | zcat > /dev/null"
if command -v jq >/dev/null; then
  note "timing zcat | jq ($runs runs) ..."
  time_it "zcat | jq -c '.Records[]'" "$files_cmd | zcat | jq -c '.Records[]' > /dev/null"
else
  note "jq not installed (Debian package 'jq'): skipping the jq baseline"
fi

help="$("$bin" scan --help 2>&1 || true)"
if ! grep -q -- '--format\|USAGE\|[Uu]sage' <<<"$help"; then
  note "'$bin scan --help' shows no scan command yet; skipping trailhound (help said: $(head -c 120 <<<"$help"))"
else
  fmt=""
  grep -q -- '--format' <<<"$help" && fmt="--format json"
  note "timing trailhound scan ($runs runs) ..."
  time_it "trailhound scan" "'$bin' scan '$archive/AWSLogs' $fmt > /dev/null 2> '$out/trailhound.stderr'"
  if grep -q -- '--no-baselines' <<<"$help"; then
    time_it "trailhound scan --no-baselines" "'$bin' scan '$archive/AWSLogs' $fmt --no-baselines > /dev/null 2> '$out/trailhound-nb.stderr'"
  else
    note "trailhound scan has no --no-baselines flag: skipped that run"
  fi
fi

# --- 5. report -----------------------------------------------------------------------------
report="$(python3 - "$bytes" "$events" "${names[@]/#/N:}" "${walls[@]/#/W:}" "${rsss[@]/#/R:}" "${codes[@]/#/C:}" <<'PY'
import sys
b, ev = int(sys.argv[1]), int(sys.argv[2])
args = sys.argv[3:]
names = [a[2:] for a in args if a.startswith("N:")]
walls = [float(a[2:]) for a in args if a.startswith("W:")]
rss = [a[2:] for a in args if a.startswith("R:")]
codes = [a[2:] for a in args if a.startswith("C:")]
z = walls[0]
rows = ["| command | wall s | MB/s | events/s | peak RSS MB | throughput vs zcat |", "|---|---:|---:|---:|---:|---:|"]
for n, w, r, c in zip(names, walls, rss, codes):
    flag = "" if c == "0" else " (exit %s)" % c
    rows.append("| `%s`%s | %.2f | %.0f | %s | %s | %.2f× |" % (
        n.replace("|", "\\|"), flag, w, b / 1e6 / w, "{:,.0f}".format(ev / w) if ev else "n/a", r, z / w))
print("\n".join(rows))
PY
)"
{
  echo "# Trailhound end-to-end benchmark"
  echo
  echo "- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(uname -srm), $(nproc) cores"
  echo "- Archive: \`$archive\`, $nfiles log files, $(( bytes / 1000000 )) MB decompressed, $events events"
  echo "- Binary: \`$bin\`"
  echo "- Best of $runs runs after a warm-up read (page cache hot). MB/s = decompressed MB / wall seconds."
  echo
  echo "$report"
} | tee "$out/results.md"
note "results written to $out/results.md"
