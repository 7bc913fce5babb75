#!/usr/bin/env bash
# Reference counting and allocation per event on the scan's hot path, counted exactly: runs
# `trailhound scan --jobs 1 --no-rules` under valgrind's callgrind on N files spread evenly over
# the run.sh CloudTrail archive (path order) and on an empty folder (subtracted, so start-up does
# not count), and counts the calls to swift_retain/swift_release (and their _n forms) and malloc.
# The micro-benchmarks' own ARC counters crash on Swift 6.3 (Benchmarks/README.md); call counts do
# not depend on the machine's load, so they gate like the malloc counts.
#
#   bash Benchmarks/arc.sh [--files N] [--archive DIR]   # print the counts
#   bash Benchmarks/arc.sh --check                       # compare with Benchmarks/Thresholds/arc.json (exit 2 = worse)
#   bash Benchmarks/arc.sh --update-thresholds           # rewrite Benchmarks/Thresholds/arc.json
#
# Environment: TRAILHOUND_BIN=/path/to/trailhound (default: the release build). Needs valgrind
# (`apt-get install -y valgrind`). About a minute at the default 22 files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
archive="$here/out/archive"
thresholds="$here/Thresholds/arc.json"
files=22
mode=print

die() { printf 'arc.sh: error: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --files) files="${2:?--files needs a value}"; shift 2 ;;
    --archive) archive="${2:?--archive needs a directory}"; shift 2 ;;
    --check) mode=check; shift ;;
    --update-thresholds) mode=update; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$files" =~ ^[1-9][0-9]*$ ]] || die "--files must be a positive integer"
# shellcheck source=Benchmarks/callgrind-lib.sh
. "$here/callgrind-lib.sh"
cg_setup
if [ "$mode" = check ]; then
  [ -f "$thresholds" ] || die "no thresholds at $thresholds (run with --update-thresholds once)"
  files="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"])' "$thresholds")"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/slice" "$work/empty"
cg_strip
# N files spread evenly over the archive (its first files are the quiet accounts).
find "$archive/AWSLogs" -name '*.json.gz' | sort >"$work/all"
total="$(wc -l <"$work/all")"
step=$(( total / files > 0 ? total / files : 1 ))
awk -v s="$step" -v n="$files" 'NR % s == 1 || s == 1 { if (++k <= n) print }' "$work/all" \
  | while read -r f; do cp "$f" "$work/slice/"; done

# profile DIR NAME: callgrind output of `scan DIR --no-rules` in $work/NAME.out.
profile() {
  (cd "$top" && valgrind --tool=callgrind --callgrind-out-file="$work/$2.out" "$bin" scan "$1" --jobs 1 \
    --no-progress --no-rules --format json >/dev/null 2>"$work/$2.stderr") || true
  [ -s "$work/$2.out" ] || die "callgrind wrote nothing for $1 (see $work/$2.stderr)"
}

events="$(cg_events "$work/slice")"
profile "$work/slice" slice
profile "$work/empty" empty

python3 - "$work/slice.out" "$work/empty.out" "$events" "$files" "$mode" "$thresholds" <<'EOF'
import json, re, sys

slice_out, empty_out, events, files, mode, thresholds = sys.argv[1:]
events, files = int(events), int(files)
COUNTED = {
    "retains": ("swift_retain", "swift_retain_n"),
    "releases": ("swift_release", "swift_release_n"),
    "mallocs": ("malloc",),
}


def calls(path):
    """Calls per callee name, from the `calls=` lines of a callgrind output (names compressed
    as `(id) name` on first use; a `'N` suffix marks a recursion cycle of the same function)."""
    names, totals, callee = {}, {}, None
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith(("fn=", "cfn=")):
            m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
            if not m:
                continue
            if m.group(2) is not None:
                names[m.group(1)] = re.sub(r"'\d+$", "", m.group(2).split(" ")[0])
            callee = names.get(m.group(1)) if line.startswith("cfn=") else None
        elif line.startswith("calls=") and callee:
            totals[callee] = totals.get(callee, 0) + int(line[6:].split()[0])
            callee = None
    totals["instructions"] = next(
        int(l.split()[1]) for l in open(path, encoding="utf-8", errors="replace") if l.startswith("summary:"))
    return totals


full, empty = calls(slice_out), calls(empty_out)
per = {}
for name, callees in COUNTED.items():
    per[name] = sum(full.get(c, 0) - empty.get(c, 0) for c in callees) / events
per["instructions"] = (full["instructions"] - empty["instructions"]) / events

print(f"# Per event on the hot path ({events} events in {files} files; callgrind, scan --jobs 1 --no-rules)")
print()
print("| count | per event |")
print("|---|---:|")
for name in ("retains", "releases", "mallocs", "instructions"):
    print(f"| {name} | {per[name]:,.1f} |")

if mode == "update":
    gated = {k: round(per[k], 1) for k in ("retains", "releases", "mallocs")}
    json.dump({"files": files, "tolerance": 0.05, "per_event": gated}, open(thresholds, "w"), indent=2)
    open(thresholds, "a").write("\n")
    print(f"\nwrote {thresholds}")
elif mode == "check":
    t = json.load(open(thresholds))
    worse = []
    for name, limit in t["per_event"].items():
        allowed = limit * (1 + t["tolerance"])
        verdict = "ok" if per[name] <= allowed else "WORSE"
        print(f"{name}: {per[name]:.1f} per event, threshold {limit} (+{t['tolerance']:.0%}): {verdict}")
        if per[name] > allowed:
            worse.append(name)
        elif per[name] < limit * (1 - t["tolerance"]):
            print(f"  {name} improved by more than the tolerance: run --update-thresholds to lock it in")
    sys.exit(2 if worse else 0)
EOF
