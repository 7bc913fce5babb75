#!/usr/bin/env bash
# Coverage-guided fuzzing of the input path with libFuzzer (Swift's -sanitize=fuzzer,address).
#
#   bash Benchmarks/fuzz.sh                     # build, then run every target for 60 s
#   bash Benchmarks/fuzz.sh 900 FuzzDecode      # one target for 15 minutes
#   JOBS=2 bash Benchmarks/fuzz.sh 1800         # every target, 30 min each, 2 workers
#
# Targets (Benchmarks/Fuzz/<Name>/): FuzzIngest (inflate + framing), FuzzJSON (the byte-level JSON
# reader), FuzzDecode (every record decoder, recognised by content), FuzzMapping (the workflow-log
# mapping extractor with formats/*.yaml). Seeds come from corpora/ (records split out of every
# file); the growing corpus and any crash (crash-*, timeout-*, oom-*) are kept in
# Benchmarks/out/fuzz/<Name>/. Each crash found becomes a regression test in Tests/ (see
# Benchmarks/README.md). Not part of CI: it runs as long as you let it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(FuzzIngest FuzzJSON FuzzDecode FuzzMapping)
out="$here/out/fuzz"
cd "$root"
bash scripts/setup.sh >/dev/null

echo "== build (debug, -sanitize=fuzzer,address, .build-fuzz/)" >&2
for t in "${targets[@]}"; do
  TRAILHOUND_FUZZ=1 swift build --scratch-path .build-fuzz --product "$t" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -g >&2
done
bin="$(TRAILHOUND_FUZZ=1 swift build --scratch-path .build-fuzz --show-bin-path)"

echo "== seeds from corpora/" >&2
python3 "$here/fuzz_seeds.py" "$root/corpora" "$out/seeds"

for t in "${targets[@]}"; do
  mkdir -p "$out/$t/corpus" "$out/$t/artifacts"
  case "$t" in
    FuzzIngest) seeds="$out/seeds/files" ;;
    *) seeds="$out/seeds/records" ;;
  esac
  echo "== $t for ${seconds}s" >&2
  parallel=()
  # -jobs writes fuzz-N.log into the working directory: run those from the target's folder.
  [ "${JOBS:-1}" -gt 1 ] && parallel=(-jobs="$JOBS" -workers="$JOBS")
  (cd "$out/$t" && TRAILHOUND_FUZZ_FORMATS="$root/formats" "$bin/$t" "$out/$t/corpus" "$seeds" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "${parallel[@]}" -artifact_prefix="$out/$t/artifacts/" 2>&1) \
    | tee "$out/$t/last-run.log" | grep -E "^#|stat::|ERROR|SUMMARY" | tail -8 || true
  crashes=$(ls "$out/$t/artifacts" | wc -l)
  echo "$t: $(grep -h 'stat::number_of_executed_units' "$out/$t/last-run.log" | tail -1 | awk '{print $2}') executions, $(ls "$out/$t/corpus" | wc -l) corpus entries, $crashes artifacts (crash/timeout/oom) in $out/$t/artifacts"
done
