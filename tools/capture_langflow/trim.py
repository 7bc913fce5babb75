#!/usr/bin/env python3
"""Trims a capture of tools/capture_langflow.sh to a committable fixture (corpora/workflow/langflow-real/).

    trim.py CAPTURE_DIR FIXTURE_DIR

Per mode folder: the nginx logs, the driver's timeline and version.txt are kept whole; Langflow's
stdout and log file keep every line that is not a loguru JSON record (banners, Rich console
output; a console log without records keeps its last `CONSOLE` lines), the last `STARTUP` records before the first request and every record from the first
request on (the records are not edited). A kept file over 8 KB is written gzipped.
"""
import datetime, gzip, json, os, shutil, sys

STARTUP = 12
CONSOLE = 60
KEEP_WHOLE = ["access.log", "access.json", "timeline.jsonl", "version.txt"]


def record_time(line):
    """Epoch seconds of a JSON log record: loguru's (Langflow 1.2) or structlog's (current Langflow)."""
    try:
        r = json.loads(line)
    except ValueError:
        return None
    if not isinstance(r, dict):
        return None
    try:
        return r["record"]["time"]["timestamp"]
    except (KeyError, TypeError):
        pass
    ts = r.get("timestamp")
    if isinstance(ts, str):
        try:
            return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def trim(lines, first):
    """Lines to keep: non-records, the last STARTUP records before `first`, every record after. A file
    without records (Rich console output of the file modes, megabytes of startup tracebacks) keeps its
    last CONSOLE lines."""
    if not any(record_time(l) is not None for l in lines):
        return lines[-CONSOLE:]
    before = [i for i, l in enumerate(lines) if (record_time(l) or first) < first]
    drop = set(before[:-STARTUP]) if len(before) > STARTUP else set()
    return [l for i, l in enumerate(lines) if i not in drop]


def write(path, lines):
    data = "".join(lines).encode()
    if len(data) > 8 * 1024:
        with gzip.GzipFile(path + ".gz", "wb", mtime=0) as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def main(src, dst):
    for mode in sorted(os.listdir(src)):
        s, d = os.path.join(src, mode), os.path.join(dst, mode)
        if not os.path.isdir(s):
            continue
        os.makedirs(d, exist_ok=True)
        first = min(json.loads(l)["time"] for l in open(os.path.join(s, "timeline.jsonl"))) - 1.0
        for name in KEEP_WHOLE:
            if os.path.exists(os.path.join(s, name)):
                shutil.copy(os.path.join(s, name), os.path.join(d, name))
        for name in ["stdout.log", "langflow.log"]:
            p = os.path.join(s, name)
            if os.path.exists(p) and os.path.getsize(p) > 0:
                write(os.path.join(d, name), trim(open(p, encoding="utf-8", errors="replace").readlines(), first))
        print(mode, sorted(os.listdir(d)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
