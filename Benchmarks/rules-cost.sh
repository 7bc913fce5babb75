#!/usr/bin/env bash
# Rule-engine cost in instructions per event, which a busy machine does not blur: runs
# `trailhound scan --jobs 1` under valgrind's callgrind on a slice of the run.sh CloudTrail archive
# (the first N files in path order) and on an empty folder with the same flags (subtracted, so
# rule loading does not count), with rules off, the bundled pack, and the bundled pack plus the
# SigmaHQ rules; prints instructions per event and each against rules off.
#
#   bash Benchmarks/rules-cost.sh [--files N] [--archive DIR] [--rules DIR]
#
# Environment: TRAILHOUND_BIN=/path/to/trailhound (default: the release build). Needs valgrind
# (`apt-get install -y valgrind`). About ten minutes at the default 40 files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
archive="$here/out/archive"
rules="$top/../shared/sigma/rules"
files=40

die() { printf 'rules-cost.sh: error: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --files) files="${2:?--files needs a value}"; shift 2 ;;
    --archive) archive="${2:?--archive needs a directory}"; shift 2 ;;
    --rules) rules="${2:?--rules needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$files" =~ ^[1-9][0-9]*$ ]] || die "--files must be a positive integer"
[ -d "$rules" ] || die "no rules directory at $rules (pass --rules DIR)"
# shellcheck source=Benchmarks/callgrind-lib.sh
. "$here/callgrind-lib.sh"
cg_setup

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/slice" "$work/empty"
cg_strip
find "$archive/AWSLogs" -name '*.json.gz' | sort | head -n "$files" | while read -r f; do cp "$f" "$work/slice/"; done

# instructions DIR ARGS...: total instructions of `scan DIR ARGS` under callgrind.
instructions() {
  local dir="$1"
  shift
  (cd "$top" && valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" scan "$dir" --jobs 1 \
    --no-progress --format json "$@" >/dev/null 2>"$work/stderr") || true
  callgrind_annotate "$work/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}

events="$(cg_events "$work/slice")"

echo "# Rule-engine cost per event ($events events in $files files; callgrind, scan --jobs 1)"
echo
echo "| command | instructions per event | vs rules off |"
echo "|---|---:|---:|"
base=""
for variant in "--no-rules" "" "--rules $rules"; do
  # shellcheck disable=SC2086
  full="$(instructions "$work/slice" $variant)"
  # shellcheck disable=SC2086
  empty="$(instructions "$work/empty" $variant)"
  per=$(( (full - empty) / events ))
  [ -z "$base" ] && base="$per"
  name="scan ${variant:-(bundled rules)}"
  awk -v n="$name" -v p="$per" -v b="$base" 'BEGIN { printf "| `%s` | %d | %.2f× |\n", n, p, b / p }'
done
