#!/usr/bin/env python3
"""Build a large, realistic CloudTrail archive (S3 delivery layout) for benchmarks.

    python3 Benchmarks/make_archive.py Benchmarks/out/archive            # ~400 MB uncompressed
    python3 Benchmarks/make_archive.py DIR --mb 1000 --identities 5000 --hours 8

Uses the same generator as the committed corpora (tools/ctgen). Rates are calibrated
on one in-memory hour so that --hours of activity hold about --mb of uncompressed
JSON; busy 5-minute windows are split into files of at most --file-mb. Compression
runs in --jobs worker processes. Output is deterministic for a given set of options.
Writes DIR/archive.json with the figures (files, records, bytes, seconds).
"""

import argparse
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))

from ctgen.core import HOUR  # noqa: E402
from ctgen.delivery import Delivery, gz  # noqa: E402
from ctgen.fleet import fleet, scale_rates  # noqa: E402
from ctgen.formats import MemoryDelivery  # noqa: E402
from ctgen.world import World  # noqa: E402

# A busy home region per account and a quieter second one, as in most estates.
ACCOUNTS = {"482913376051": ["us-east-1", "eu-west-1"], "760224918835": ["us-west-2", "us-east-1"]}


def build_world(args, hours):
    world = World(args.seed, args.start, hours / 24.0, ACCOUNTS)
    workloads = fleet(world, ACCOUNTS, args.identities, args.seed)
    return world, workloads


def measure(args, factor):
    """Uncompressed bytes of the whole span at a given workload rate factor (in memory, not written)."""
    world, workloads = build_world(args, args.hours)
    scale_rates(workloads, factor)
    mem = MemoryDelivery()
    world.generate(None, delivery=mem)
    return sum(len(d) for _, _, d in mem.records)


def calibrate(args):
    """Workload rate factor giving about --mb: people, CI, scanners and service roles are a fixed
    part; workloads scale linearly (bytes = fixed + factor * variable)."""
    fixed = measure(args, 0.0)
    variable = measure(args, 1.0) - fixed
    return max(0.0, args.mb * 1e6 - fixed) / max(1, variable), fixed


def write_file(root, key, body, level):
    path = os.path.join(root, key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = gz(body, level)
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output directory (created; an existing AWSLogs/ inside is replaced)")
    ap.add_argument("--mb", type=float, default=400, help="target uncompressed size in MB (default 400)")
    ap.add_argument("--identities", type=int, default=3000, help="number of IAM principals (default 3000)")
    ap.add_argument("--hours", type=int, default=4, help="hours of activity (default 4)")
    ap.add_argument("--file-mb", type=float, default=5, help="largest log file, uncompressed MB (default 5)")
    ap.add_argument("--start", default="2025-06-09", help="first day (UTC)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--level", type=int, default=6, help="gzip level (default 6, like CloudTrail)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="compression processes")
    ap.add_argument("--no-digests", action="store_true")
    args = ap.parse_args(argv)

    t0 = time.time()
    factor, fixed = calibrate(args)
    world, workloads = build_world(args, args.hours)
    scale_rates(workloads, factor)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    shutil.rmtree(os.path.join(out, "AWSLogs"), ignore_errors=True)
    pool = ProcessPoolExecutor(max_workers=max(1, args.jobs))
    pending, gz_total = [], [0]

    def writer(key, body):
        pending.append(pool.submit(write_file, out, key, body, args.level))
        if len(pending) > 4 * args.jobs:
            gz_total[0] += pending.pop(0).result()

    d = Delivery(out, args.seed, home_region="us-east-1", max_file_bytes=int(args.file_mb * 1e6),
                 digests=not args.no_digests, dup_prob=0.001, writer=writer, level=args.level)

    def progress(h0, dv):
        done = (h0 - world.start) // HOUR + 1
        print("  hour %d/%d: %d records, %.0f MB" % (done, args.hours, dv.records, dv.raw_bytes / 1e6),
              file=sys.stderr)

    print("identities %d, fixed part %.0f MB, workload rate factor %.2f" % (
        len(world.principals), fixed / 1e6, factor), file=sys.stderr)
    world.generate(out, delivery=d, progress=progress)
    for f in pending:
        gz_total[0] += f.result()
    pool.shutdown()
    secs = time.time() - t0
    sizes = sorted(f.raw_bytes for f in d.files)
    in_band = sum(s for s in sizes if 1e6 <= s <= 5.2e6)
    summary = {"dir": out, "identities": len(world.principals), "hours": args.hours, "log_files": len(d.files),
               "digest_files": d.digest_count, "records": d.records, "uncompressed_bytes": d.raw_bytes,
               "compressed_bytes": gz_total[0], "median_file_bytes": sizes[len(sizes) // 2] if sizes else 0,
               "max_file_bytes": sizes[-1] if sizes else 0,
               "share_of_bytes_in_1_to_5_mb_files": round(in_band / max(1, d.raw_bytes), 3), "seconds": round(secs, 1),
               "mb_per_second": round(d.raw_bytes / 1e6 / secs, 1)}
    with open(os.path.join(out, "archive.json"), "w") as fh:
        json.dump(summary, fh, indent=2)
        fh.write("\n")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
