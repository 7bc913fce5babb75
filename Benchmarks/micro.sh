#!/usr/bin/env bash
# Micro-benchmarks of the hot path (package-benchmark): see Benchmarks/README.md, "Micro-benchmarks".
#
#   bash Benchmarks/micro.sh                      # build (release) and run all, print the tables and a summary
#   bash Benchmarks/micro.sh --filter 'Ingest.*'  # only benchmarks whose name matches the regex
#   bash Benchmarks/micro.sh --check              # run and compare with the committed thresholds (exit 2 = worse)
#   bash Benchmarks/micro.sh --update-thresholds  # run and rewrite Benchmarks/Thresholds/*.p90.json
#   bash Benchmarks/micro.sh -- --format markdown # anything after -- goes to `benchmark` as is
#
# The benchmark package is only part of the build when TRAILHOUND_BENCHMARKS is set (this script
# sets it); it builds in its own scratch folder (.build-bench/) so it never disturbs .build/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
thresholds="Benchmarks/Thresholds"
# Metrics whose p90 is committed and gated (stable run to run); everything else is noisy here.
gated_metrics='["mallocCountTotal", "bytes/identity (malloc)", "retains (total)", "releases (total)"]'

mode=run
filter=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) filter=(--filter "$2"); shift 2 ;;
    --check) mode=check; shift ;;
    --update-thresholds) mode=update; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "micro.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done

mkdir -p "$out"
cd "$root"
export TRAILHOUND_BENCHMARKS=1
swiftpm=(swift package --scratch-path "$root/.build-bench" --allow-writing-to-package-directory)
log="$out/micro.txt"
start=$(date +%s)

summarize() {
  # One line per benchmark with the medians (p50) of the figures that matter, from the
  # `--grouping metric` tables in $1. Units are the framework's: K = thousand, M = million.
  python3 - "$1" <<'EOF'
import re, sys
text = re.sub(r"\x1b\[[0-9;]*m", "", open(sys.argv[1], encoding="utf-8").read())
wanted = {"MB/s": "MB/s", "MB/s (gzip in)": "gzip MB/s", "events/s": "events/s", "Malloc (total)": "mallocs",
          "Time (wall clock)": "wall", "Memory (resident peak)": "peak RSS",
          "bytes/identity (malloc)": "B/identity", "bytes/identity (estimate)": "B/identity est.", "events": "events",
          "findings": "findings", "retains (total)": "retains", "releases (total)": "releases"}
rows, metric = {}, None
for line in text.splitlines():
    s = line.strip()
    if s and s[0] not in "│├╞╒╘":
        metric = wanted.get(s)  # a table title; tables we do not summarize reset it
        continue
    if metric and s.startswith("│") and ":" in s and not s.startswith("│ Test"):
        cells = [c.strip() for c in s.strip("│").split("│")]
        m = re.match(r"[^:]+:(\S+)\s*(?:\(([^)]*)\))?", cells[0])
        if not m or len(cells) < 4:
            continue
        name, unit = m.group(1), m.group(2) or ""
        value = cells[3] + ("" if unit in ("", "#") else " " + unit)
        rows.setdefault(name, {})[metric] = value
if not rows:
    sys.exit("no benchmark tables found in " + sys.argv[1])
cols = [c for c in wanted.values() if any(c in r for r in rows.values())]
table = [["benchmark"] + cols] + [[n] + [rows[n].get(c, "") for c in cols] for n in sorted(rows)]
widths = [max(len(r[i]) for r in table) for i in range(len(cols) + 1)]
print("\nSummary (p50 of each benchmark's iterations; one iteration = the whole corpus):")
for i, r in enumerate(table):
    print("  " + "  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))))
    if i == 0:
        print("  " + "  ".join("-" * w for w in widths))
EOF
}

case "$mode" in
  run)
    set +e
    "${swiftpm[@]}" benchmark --no-progress --grouping metric "${filter[@]}" "${extra[@]}" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" -eq 0 ] && [ ${#extra[@]} -eq 0 ]; then summarize "$log"; fi
    ;;
  check)
    set +e
    "${swiftpm[@]}" benchmark thresholds check --path "$thresholds" --no-progress "${filter[@]}" "${extra[@]}" \
      2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    # The plugin exits non-zero for both "worse" and "better", so read its verdict.
    if grep -q "is WORSE than the defined thresholds" "$log"; then
      echo "micro.sh: WORSE than the committed thresholds (deviations above)."
      rc=2
    elif grep -q "is BETTER than the defined thresholds" "$log"; then
      echo "micro.sh: better than the committed thresholds; if intended, run --update-thresholds and commit."
      rc=0
    elif [ "$rc" -eq 0 ]; then
      echo "micro.sh: malloc counts and bytes per identity within the committed thresholds."
    else
      echo "micro.sh: benchmark failed (exit $rc)."
    fi
    ;;
  update)
    set +e
    "${swiftpm[@]}" benchmark thresholds update --path "$thresholds" --no-progress "${filter[@]}" "${extra[@]}" \
      2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" -eq 0 ]; then
      # Keep only the gated metrics: times and rates on these shared machines are too noisy to commit.
      python3 - "$thresholds" "$gated_metrics" <<'EOF'
import glob, json, os, sys
keep = set(json.loads(sys.argv[2]))
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.p90.json"))):
    data = {k: v for k, v in json.load(open(path)).items() if k in keep}
    with open(path, "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")
    print("kept", ", ".join(f"{k}={v}" for k, v in sorted(data.items())), "in", path)
EOF
    fi
    ;;
esac
echo "micro.sh: $(( $(date +%s) - start )) s (build included); full output in $log"
exit "$rc"
