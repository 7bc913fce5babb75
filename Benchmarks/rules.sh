#!/usr/bin/env bash
# Rule-engine benchmark: time `trailhound scan` on the run.sh CloudTrail archive with rules off
# (`--no-rules`), with the bundled pack (detectors/rules/), and with the bundled pack plus the
# SigmaHQ rules of ../shared/sigma/rules, and print each one's throughput relative to rules off
# (target: >= 0.90), in wall time (best of N) and CPU time (median of N), the variants taken
# round-robin, page cache hot.
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

# Round-robin (every variant once per round), so a change in machine load hits every variant
# alike; per variant, the best wall time and the median CPU time (user + system). Both cores are
# busy during a scan, so CPU time is the steadier measure of what the rules cost.
note "timing ($runs rounds) ..."
python3 - "$bin" "$archive/AWSLogs" "$rules" "$runs" "$top" "$out/rules.stderr" >"$out/rules.times" <<'PY'
import os, statistics, subprocess, sys, time
bin_, archive, rules, runs, top, err = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
variants = [
    ("scan --no-rules", ["--no-rules"]),
    ("scan (bundled rules)", []),
    ("scan --rules SigmaHQ (bundled + SigmaHQ)", ["--rules", rules]),
    ("scan --no-baselines --no-rules", ["--no-baselines", "--no-rules"]),
    ("scan --no-baselines --rules SigmaHQ", ["--no-baselines", "--rules", rules]),
]
walls = {n: [] for n, _ in variants}
cpus = {n: [] for n, _ in variants}
for _ in range(runs):
    for name, args in variants:
        before = os.times()
        t0 = time.monotonic()
        with open(err, "w") as e:
            rc = subprocess.run([bin_, "scan", archive, "--format", "json", "--no-progress"] + args,
                                cwd=top, stdout=subprocess.DEVNULL, stderr=e).returncode
        t1 = time.monotonic()
        after = os.times()
        if rc != 0:
            print(f"rules.sh: {name} exited with status {rc}", file=sys.stderr)
        walls[name].append(t1 - t0)
        cpus[name].append((after.children_user - before.children_user) + (after.children_system - before.children_system))
for name, _ in variants:
    print(f"{name}\t{min(walls[name]):.3f}\t{statistics.median(cpus[name]):.3f}")
PY

{
  echo "# Rule engine benchmark"
  echo
  echo "- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(uname -srm), $(nproc) cores; $runs rounds (best wall, median CPU)"
  echo "- Archive: \`$archive\`; rules: \`$rules\` (${loaded:-count unknown})"
  echo
  echo "| command | wall s | vs rules off | CPU s | vs rules off (CPU) |"
  echo "|---|---:|---:|---:|---:|"
  awk -F '\t' '
    { name[NR] = $1; wall[NR] = $2; cpu[NR] = $3 }
    END {
      for (i = 1; i <= NR; i++) {
        b = (name[i] ~ /no-baselines/) ? 4 : 1
        printf "| `%s` | %.2f | %.2f× | %.2f | %.2f× |\n", name[i], wall[i], wall[b] / wall[i], cpu[i], cpu[b] / cpu[i]
      }
    }' "$out/rules.times"
} | tee "$out/rules.md"
