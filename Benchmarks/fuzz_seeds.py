#!/usr/bin/env python3
"""Seeds for the fuzz targets from the project's corpora: whole files (gzip and plain, for
FuzzIngest) and single records (for the decoders): each JSON line, and each element of a
CloudTrail {"Records":[...]} file. Small files only (the fuzzer's -max_len is 64 KiB)."""
import gzip, json, os, sys, hashlib

src, dst = sys.argv[1], sys.argv[2]
files_dir, records_dir = os.path.join(dst, "files"), os.path.join(dst, "records")
os.makedirs(files_dir, exist_ok=True)
os.makedirs(records_dir, exist_ok=True)

def put(folder, data):
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)

n_files = n_records = 0
for base, _, names in os.walk(src):
    for name in sorted(names):
        path = os.path.join(base, name)
        raw = open(path, "rb").read()
        if len(raw) <= 65536 and n_files < 400:
            put(files_dir, raw); n_files += 1
        try:
            text = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        except Exception:
            continue
        records = []
        try:
            doc = json.loads(text)
            records = doc["Records"] if isinstance(doc, dict) and isinstance(doc.get("Records"), list) else [doc]
            records = [json.dumps(r).encode() for r in records]
        except Exception:
            records = [l for l in text.split(b"\n") if l.strip()]
        for r in records[:50]:
            if len(r) <= 65536 and n_records < 3000:
                put(records_dir, r); n_records += 1
print(f"{n_files} file seeds, {n_records} record seeds in {dst}", file=sys.stderr)
