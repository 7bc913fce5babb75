#!/usr/bin/env python3
"""Check the committed CloudTrail corpora: layout, gzip, JSON, digests, labels, formats,
malformed cases (each broken in the intended way) and, with --determinism, that two
generations are byte-identical.

    python3 tools/verify_corpora.py [--root corpora/cloudtrail] [--determinism]

Exit status 0 when every check passes. Python 3 standard library (+ gzip/jq when present).
"""

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ctgen.delivery import DIGEST_NAME, LOG_NAME  # noqa: E402
from ctgen.malformed import max_depth  # noqa: E402
from gen_corpora import tree_hashes  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "corpora", "cloudtrail")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
REQUIRED = ("eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "eventID",
            "eventType", "recipientAccountId", "eventCategory")


class Checker:
    def __init__(self):
        self.errors = 0
        self.notes = []

    def fail(self, msg):
        self.errors += 1
        if self.errors <= 40:
            print("FAIL: " + msg, file=sys.stderr)

    def ok(self, msg):
        print("ok   " + msg, file=sys.stderr)


def gzip_members(data):
    out, n, d = [], 0, zlib.decompressobj(16 + 15)
    while data:
        out.append(d.decompress(data))
        n += 1
        if not d.eof:
            raise ValueError("truncated gzip member")
        data = d.unused_data
        d = zlib.decompressobj(16 + 15)
    return b"".join(out), n


def check_archive(ck, root, labels=None):
    """An S3-layout archive: names, gzip, records, digests, labels."""
    logs, digests = {}, {}
    for dirpath, _, files in os.walk(os.path.join(root, "AWSLogs")):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/")
            if re.match(LOG_NAME, rel):
                logs[rel] = None
            elif re.match(DIGEST_NAME, rel):
                digests[rel] = None
            else:
                ck.fail("%s: name does not match the CloudTrail layout: %s" % (root, rel))
    seen, records, bodies = {}, 0, {}
    for rel in sorted(logs):
        with open(os.path.join(root, rel), "rb") as fh:
            raw = fh.read()
        try:
            body = gzip.decompress(raw)
            doc = json.loads(body)
        except Exception as e:  # noqa: BLE001
            ck.fail("%s: %s" % (rel, e))
            continue
        bodies[rel] = body
        acct, region = rel.split("/")[1], rel.split("/")[3]
        if list(doc) != ["Records"] or not isinstance(doc["Records"], list) or not doc["Records"]:
            ck.fail("%s: not a non-empty {\"Records\":[...]}" % rel)
            continue
        stamp = rel.rsplit("_", 2)[1]
        for rec in doc["Records"]:
            records += 1
            missing = [k for k in REQUIRED if k not in rec]
            if missing:
                ck.fail("%s: record %s lacks %s" % (rel, rec.get("eventID"), missing))
            if rec.get("awsRegion") != region or rec.get("recipientAccountId") != acct:
                ck.fail("%s: record %s in the wrong folder" % (rel, rec.get("eventID")))
            if not ISO.match(rec.get("eventTime", "")) or not UUID.match(rec.get("eventID", "")):
                ck.fail("%s: bad eventTime/eventID %r %r" % (rel, rec.get("eventTime"), rec.get("eventID")))
            compact = rec["eventTime"][:16].replace("-", "").replace(":", "")
            if compact > stamp[:13].replace("T", "T"):
                ck.fail("%s: event %s newer than the file's delivery time" % (rel, rec["eventTime"]))
            seen.setdefault(rec["eventID"], []).append(rel)
    for rel in sorted(digests):
        with open(os.path.join(root, rel), "rb") as fh:
            d = json.loads(gzip.decompress(fh.read()))
        for lf in d["logFiles"]:
            if lf["s3Object"] not in bodies:
                ck.fail("%s: lists a missing log file %s" % (rel, lf["s3Object"]))
            elif hashlib.sha256(bodies[lf["s3Object"]]).hexdigest() != lf["hashValue"]:
                ck.fail("%s: hash mismatch for %s" % (rel, lf["s3Object"]))
        prev = d.get("previousDigestS3Object")
        if prev:
            if prev not in digests:
                ck.fail("%s: previous digest %s missing" % (rel, prev))
            else:
                with open(os.path.join(root, prev), "rb") as fh:
                    if hashlib.sha256(gzip.decompress(fh.read())).hexdigest() != d["previousDigestHashValue"]:
                        ck.fail("%s: previousDigestHashValue does not match %s" % (rel, prev))
    dups = sorted(e for e, where in seen.items() if len(where) > 1)
    if labels is not None:
        c = labels["corpus"]
        if c["records"] != records or c["events"] != len(seen) or sorted(c["duplicate_event_ids"]) != dups:
            ck.fail("%s: labels corpus counts disagree (records %d/%d, events %d/%d, dups %d/%d)" % (
                root, c["records"], records, c["events"], len(seen), len(c["duplicate_event_ids"]), len(dups)))
        if c["log_files"] != len(logs) or c["digest_files"] != len(digests):
            ck.fail("%s: labels file counts disagree" % root)
        check_labels(ck, root, labels, seen, bodies)
    ck.ok("%s: %d log files, %d digests, %d records, %d events, %d duplicated" % (
        os.path.basename(root.rstrip("/")), len(logs), len(digests), records, len(seen), len(dups)))
    return logs, records


def identity_key(rec):
    ui = rec.get("userIdentity") or {}
    if ui.get("type") == "AssumedRole":
        return ui["sessionContext"]["sessionIssuer"]["arn"]
    return ui.get("arn", "")


TYPES = {"object": dict, "array": list, "string": str, "integer": int, "null": type(None)}


def schema_errors(value, schema, defs, path="$"):
    """Validate the JSON-Schema subset labels.schema.json uses (no third-party validator needed)."""
    if "$ref" in schema:
        return schema_errors(value, defs[schema["$ref"].rsplit("/", 1)[1]], defs, path)
    if "oneOf" in schema:
        ok = [s for s in schema["oneOf"] if not schema_errors(value, s, defs, path)]
        return [] if len(ok) == 1 else ["%s: matches %d of oneOf" % (path, len(ok))]
    errs = []
    t = schema.get("type")
    if t and not (isinstance(value, TYPES[t]) and not (t == "integer" and isinstance(value, bool))):
        return ["%s: expected %s" % (path, t)]
    if "const" in schema and value != schema["const"]:
        errs.append("%s: expected %r" % (path, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        errs.append("%s: %r not in %s" % (path, value, schema["enum"]))
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errs.append("%s: %r does not match %s" % (path, value, schema["pattern"]))
    if isinstance(value, dict):
        errs += ["%s: missing %s" % (path, k) for k in schema.get("required", []) if k not in value]
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            errs += ["%s: unexpected key %s" % (path, k) for k in value if k not in props]
        for k, sub in props.items():
            if k in value:
                errs += schema_errors(value[k], sub, defs, "%s.%s" % (path, k))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            errs += schema_errors(v, schema["items"], defs, "%s[%d]" % (path, i))
    return errs


SCHEMA = {}


def check_labels(ck, root, labels, seen, bodies):
    schema = SCHEMA["labels"]
    for e in schema_errors(labels, schema, schema["$defs"])[:10]:
        ck.fail("%s/labels.json: %s" % (root, e))
    want = {}
    for a in labels["attacks"]:
        ids = a["event_ids"]
        if len(ids) != a["event_count"] or len(set(ids)) != len(ids):
            ck.fail("%s: attack %s event_ids inconsistent" % (root, a["name"]))
        step_ids = [e for s in a["steps"] for e in s["event_ids"]]
        if sorted(step_ids) != sorted(ids):
            ck.fail("%s: attack %s steps do not partition its events" % (root, a["name"]))
        for e in ids:
            want[e] = a
    for c in labels["benign_changes"]:
        for e in c["event_ids"]:
            want.setdefault(e, None)
    missing = [e for e in want if e not in seen]
    if missing:
        ck.fail("%s: %d labelled eventIDs not in the corpus (e.g. %s)" % (root, len(missing), missing[0]))
    keys_seen = {}
    for rel, body in bodies.items():
        for rec in json.loads(body)["Records"]:
            a = want.get(rec["eventID"])
            if a:
                keys_seen.setdefault(a["name"], set()).add(identity_key(rec))
    for a in labels["attacks"]:
        extra = keys_seen.get(a["name"], set()) - set(a["identity_keys"])
        if extra:
            ck.fail("%s: attack %s events by identities not in identity_keys: %s" % (root, a["name"], sorted(extra)))


def check_jq(ck, root, expected):
    """zcat every log file through one jq and count records."""
    if not shutil.which("jq"):
        ck.notes.append("jq not installed: skipped the zcat | jq check")
        return
    files = []
    for dirpath, _, names in os.walk(os.path.join(root, "AWSLogs")):
        files += [os.path.join(dirpath, n) for n in names if "_CloudTrail_" in n]
    files.sort()
    data = b"".join(open(f, "rb").read() for f in files)
    out = subprocess.run(["sh", "-c", "gzip -dc | jq -c '.Records[]' | wc -l"], input=data, capture_output=True)
    n = int(out.stdout.strip() or 0)
    if out.returncode != 0 or n != expected:
        ck.fail("%s: zcat | jq counted %d records, expected %d (%s)" % (root, n, expected, out.stderr[:200]))


def check_gzip_t(ck, paths):
    if not shutil.which("gzip"):
        ck.notes.append("gzip not installed: skipped gzip -t")
        return
    for i in range(0, len(paths), 500):
        p = subprocess.run(["gzip", "-t"] + paths[i:i + 500], capture_output=True)
        if p.returncode != 0:
            ck.fail("gzip -t: %s" % p.stderr.decode()[:300])


def check_formats(ck, root):
    d = os.path.join(root, "formats")
    man = json.load(open(os.path.join(d, "manifest.json")))
    want = man["event_ids"]
    for name in man["files"]:
        raw = open(os.path.join(d, name), "rb").read()
        body, members = gzip_members(raw) if name.endswith(".gz") else (raw, 0)
        if "multimember" in name and members != 2:
            ck.fail("formats/%s: %d gzip members, expected 2" % (name, members))
        if name.startswith("cloudtrail-records"):
            ids = [r["eventID"] for r in json.loads(body)["Records"]]
        elif name.startswith("cloudwatch"):
            ids, text, pos, dec = [], body.decode(), 0, json.JSONDecoder()
            while pos < len(text):
                batch, pos = dec.raw_decode(text, pos)
                if batch.get("messageType") == "DATA_MESSAGE":
                    ids += [json.loads(e["message"])["eventID"] for e in batch["logEvents"]]
        else:
            objs = [json.loads(x) for x in body.splitlines() if x.strip()]
            if name.startswith("eventbridge"):
                for o in objs:
                    if o.get("version") != "0" or "detail" not in o or not o.get("detail-type"):
                        ck.fail("formats/%s: bad EventBridge envelope" % name)
                objs = [o["detail"] for o in objs]
            ids = [o["eventID"] for o in objs]
        if ids != want:
            ck.fail("formats/%s: eventIDs differ from the manifest" % name)
    ck.ok("formats: %d files, %d events each" % (len(man["files"]), len(want)))


def inflate_stream(raw):
    """Inflate in small chunks like the scanner; returns (data, status)."""
    d, out = zlib.decompressobj(16 + 15), []
    step = 1 if len(raw) < 1 << 20 else 4096  # byte by byte: keep every byte inflated before an error
    try:
        for i in range(0, len(raw), step):
            out.append(d.decompress(raw[i:i + step]))
    except zlib.error:
        return b"".join(out), "corrupt"
    return b"".join(out), "ok" if d.eof else "truncated"


def check_malformed(ck, root):
    d = os.path.join(root, "malformed")
    cases = json.load(open(os.path.join(d, "cases.json")))["cases"]
    for c in cases:
        raw = open(os.path.join(d, c["file"]), "rb").read()
        body, status = inflate_stream(raw) if raw[:2] == b"\x1f\x8b" else (raw, "plain")
        name = c["file"]
        for e in c["good_event_ids"]:
            if e.encode() not in body:
                ck.fail("malformed/%s: good event %s not in the readable part" % (name, e))
        expect = {"truncated.json.gz": "truncated", "corrupt.json.gz": "corrupt",
                  "plain-json-named-gz.json.gz": "plain"}.get(name, "ok")
        if status != expect:
            ck.fail("malformed/%s: gzip status %s, expected %s" % (name, status, expect))
        if status != "ok":
            continue
        if name.endswith(".jsonl.gz"):
            bad = 0
            for line in body.splitlines():
                try:
                    json.loads(line)
                except ValueError:
                    bad += 1
            if bad != 1:
                ck.fail("malformed/%s: %d non-JSON lines, expected 1" % (name, bad))
            continue
        if name == "invalid-utf8.json.gz":
            try:
                body.decode("utf-8")
                ck.fail("malformed/%s: is valid UTF-8" % name)
            except UnicodeDecodeError:
                pass
            continue
        if name == "deep-nesting.json.gz":
            if max_depth(body) < 10000:
                ck.fail("malformed/%s: not 10,000 deep" % name)
            continue
        if name == "huge-string.json.gz":
            if len(body) < 20 * 1024 * 1024:
                ck.fail("malformed/%s: no 20 MiB string" % name)
            continue
        recs = json.loads(body)["Records"]
        objs = [r for r in recs if isinstance(r, dict)]
        checks = {
            "element-not-object.json.gz": lambda: len(recs) - len(objs) == 2,
            "missing-useridentity.json.gz": lambda: sum("userIdentity" not in r for r in objs) == 1,
            "missing-eventtime.json.gz": lambda: sum("eventTime" not in r for r in objs) == 1,
            "bad-eventtime.json.gz": lambda: sum(r.get("eventTime") == "yesterday" for r in objs) == 1,
            "booleans-as-strings.json.gz": lambda: all(isinstance(r.get("readOnly"), str) for r in objs),
            "nulls-everywhere.json.gz": lambda: sum(r.get("userAgent", 1) is None and r.get("readOnly", 1) is None
                                                    for r in objs) == 1,
        }
        if name in checks and not checks[name]():
            ck.fail("malformed/%s: not broken in the intended way" % name)
        if len(objs) - (c["bad_records"] if name != "element-not-object.json.gz" else 0) != c["good_events"]:
            ck.fail("malformed/%s: %d records, cases.json says %d good + %d bad" % (
                name, len(objs), c["good_events"], c["bad_records"]))
    ck.ok("malformed: %d cases broken as described" % len(cases))


def check_determinism(ck):
    """Two generations in separate processes (different hash seeds) must be byte-identical."""
    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen_corpora.py")
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        for out in (a, b):
            subprocess.run([sys.executable, gen, "--out", out], check=True, capture_output=True)
        ha, hb = tree_hashes(a), tree_hashes(b)
        diff = sorted(k for k in set(ha) | set(hb) if ha.get(k) != hb.get(k))
        if diff:
            ck.fail("two generations differ in %d files (e.g. %s)" % (len(diff), diff[0]))
        else:
            ck.ok("determinism: two generations byte-identical (%d files)" % len(ha))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--determinism", action="store_true", help="also generate twice and compare")
    args = ap.parse_args(argv)
    ck = Checker()
    SCHEMA["labels"] = json.load(open(os.path.join(args.root, "labels.schema.json")))
    archives = [os.path.join(args.root, "demo")]
    sc = os.path.join(args.root, "scenarios")
    archives += sorted(os.path.join(sc, n) for n in os.listdir(sc) if os.path.isdir(os.path.join(sc, n)))
    gz_paths = []
    for root in archives:
        labels = json.load(open(os.path.join(root, "labels.json")))
        logs, records = check_archive(ck, root, labels)
        check_jq(ck, root, records)
        gz_paths += [os.path.join(root, p) for p in logs]
    check_gzip_t(ck, gz_paths)
    check_formats(ck, args.root)
    check_malformed(ck, args.root)
    if args.determinism:
        check_determinism(ck)
    for n in ck.notes:
        print("note " + n, file=sys.stderr)
    print("%d problem(s)" % ck.errors, file=sys.stderr)
    return 1 if ck.errors else 0


if __name__ == "__main__":
    sys.exit(main())
