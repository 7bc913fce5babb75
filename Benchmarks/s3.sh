#!/usr/bin/env bash
# S3 input throughput: the same CloudTrail archive scanned from a moto S3 server on loopback
# (`trailhound scan s3://…`) and from local disk (`trailhound scan DIR`), best of --runs each.
# Prints MB/s (decompressed input) for both and the ratio s3/local (target >= 0.80).
#
#   bash Benchmarks/s3.sh [--mb N] [--runs N] [--skip-build]
#
# The archive comes from Benchmarks/make_archive.py (Benchmarks/out/archive-s3-<mb>, reused).
# Needs moto_server on PATH (pip install 'moto[server]'; scripts/setup.sh does).
# Environment: TRAILHOUND_BIN=/path/to/trailhound uses that binary instead of building.
# Results go to stdout and Benchmarks/out/s3.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
out="$here/out"
mb=100
runs=3
build=1

die() { printf 's3.sh: error: %s\n' "$*" >&2; exit 1; }
note() { printf 's3.sh: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb="${2:?--mb needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --skip-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$mb" =~ ^[1-9][0-9]*$ ]] || die "--mb must be a positive integer"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
command -v moto_server >/dev/null || die "moto_server is not on PATH (pip install 'moto[server]')"
command -v python3 >/dev/null || die "python3 is required"
mkdir -p "$out"

bin="${TRAILHOUND_BIN:-}"
if [ -z "$bin" ]; then
  if [ "$build" = 1 ]; then
    note "building trailhound (swift build -c release) ..."
    (cd "$top" && swift build -c release >"$out/build-s3.log" 2>&1) \
      || { tail -30 "$out/build-s3.log" >&2; die "release build failed (log: $out/build-s3.log)"; }
  fi
  bin="$(cd "$top" && swift build -c release --show-bin-path 2>/dev/null)/trailhound"
fi
[ -x "$bin" ] || die "no trailhound binary at $bin (build it or set TRAILHOUND_BIN)"

archive="$out/archive-s3-$mb"
if [ ! -f "$archive/archive.json" ]; then
  note "generating a ${mb} MB archive in $archive ..."
  rm -rf "$archive"
  python3 "$here/make_archive.py" "$archive" --mb "$mb" >/dev/null
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
moto_server -H 127.0.0.1 -p "$port" >"$out/moto-s3.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true' EXIT
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
  sleep 0.2
done
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

note "uploading the archive to moto ..."
python3 - "$endpoint" "$archive" <<'PY'
import os, sys, boto3
from concurrent.futures import ThreadPoolExecutor
endpoint, root = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
s3.create_bucket(Bucket="bench")
files = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".gz")]
def put(p):
    with open(p, "rb") as fh:
        s3.put_object(Bucket="bench", Key="trail/" + os.path.relpath(p, root), Body=fh.read())
with ThreadPoolExecutor(16) as ex:
    list(ex.map(put, files))
print(len(files), file=sys.stderr)
PY

# Best wall time of $runs runs of a scan; findings go to a file so both can be compared.
best() {
  local label="$1"; shift
  local best_s=""
  for _ in $(seq 1 "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$bin" scan "$@" --detectors "$top/detectors" --quiet --no-progress >"$out/s3-$label.jsonl"
    t1=$(date +%s.%N)
    local s; s=$(echo "$t1 - $t0" | bc)
    if [ -z "$best_s" ] || [ "$(echo "$s < $best_s" | bc)" = 1 ]; then best_s=$s; fi
  done
  echo "$best_s"
}

bytes=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['uncompressed_bytes'])" "$archive/archive.json")
local_s=$(best local "$archive/AWSLogs")
s3_s=$(best s3 "s3://bench/trail/" --endpoint-url "$endpoint")
sed "s|s3://bench/trail/|$archive/|" "$out/s3-s3.jsonl" | cmp -s - "$out/s3-local.jsonl" \
  && same="identical" || same="DIFFERENT"
mbs() { echo "scale=1; $bytes / 1000000 / $1" | bc; }
ratio=$(echo "scale=2; $local_s / $s3_s" | bc)
{
  echo "| input | seconds (best of $runs) | MB/s |"
  echo "|---|---:|---:|"
  echo "| local disk | $local_s | $(mbs "$local_s") |"
  echo "| moto S3 on loopback | $s3_s | $(mbs "$s3_s") |"
  echo
  echo "S3 / local throughput ratio: $ratio (target >= 0.80); findings $same."
} | tee "$out/s3.md"
