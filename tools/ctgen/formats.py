"""The same small, varied set of records in every container format the scanner reads."""

import json
import os

from .attacks import ATTACKS
from .core import compact_json as COMPACT
from .core import rng, uuid4
from .core import gz
from .population import standard_org
from .scenarios import PROD, REGIONS, root_sign_in, service_events
from .world import World

DETAIL_TYPE = {"AwsApiCall": "AWS API Call via CloudTrail", "AwsConsoleSignIn": "AWS Console Sign In via CloudTrail",
               "AwsServiceEvent": "AWS Service Event via CloudTrail"}


class MemoryDelivery:
    """Delivery stand-in that keeps rendered records in memory."""

    def __init__(self):
        self.records = []
        self.files, self.duplicates = [], []
        self.digest_count = 0

    def add(self, t, account, region, eid, data):
        self.records.append((t, eid, data))

    def flush_before(self, t):
        pass

    def close(self, *a):
        pass


def sample_records(seed, limit=60):
    """A day of background plus one attack, reduced to one record per
    (eventSource, eventName, identity type, error) — varied and small."""
    world = World(seed, "2025-06-02", 1, {PROD: REGIONS})
    org = standard_org(world, PROD, REGIONS, scale=0.5)
    service_events(world, PROD, 0)
    root_sign_in(world, PROD, world.day(0, 9, 30))
    ATTACKS["public_app_pivot"](world, org, world.day(0, 10, 41))
    mem = MemoryDelivery()
    world.generate(None, delivery=mem)
    seen, varied = set(), []
    for t, eid, data in sorted(mem.records):
        rec = json.loads(data)
        ident = rec.get("userIdentity") or {}
        key = (rec["eventSource"], rec["eventName"], ident.get("type"), "invokedBy" in ident, "errorCode" in rec)
        if key not in seen:
            seen.add(key)
            varied.append(rec)
    # Every identity shape, event type, data event and error kind first; then an even spread of the rest.
    must, shapes = [], set()
    for rec in varied:
        ident = rec.get("userIdentity") or {}
        shape = (ident.get("type"), "invokedBy" in ident, "ec2RoleDelivery" in (ident.get("sessionContext") or {}),
                 rec.get("eventType"), rec.get("eventCategory"), rec.get("errorCode"))
        if shape not in shapes:
            shapes.add(shape)
            must.append(rec)
    rest = [r for r in varied if r not in must]
    room = max(0, limit - len(must))
    if rest and room:
        step = len(rest) / room
        must += [rest[int(i * step)] for i in range(min(room, len(rest)))]
    return sorted(must, key=lambda r: (r["eventTime"], r["eventID"]))


def eventbridge(rec, r):
    return {"version": "0", "id": uuid4(r), "detail-type": DETAIL_TYPE.get(rec.get("eventType"), "AWS API Call via CloudTrail"),
            "source": "aws." + rec["eventSource"].split(".")[0], "account": rec["recipientAccountId"],
            "time": rec["eventTime"], "region": rec["awsRegion"], "resources": [], "detail": rec}


def cloudwatch_batches(recs, r, per_batch=20):
    """What a CloudWatch Logs subscription filter on a trail's log group sends through
    Firehose to S3: batches back to back (no separator), a control message first."""
    base = {"owner": recs[0]["recipientAccountId"], "logGroup": "aws-cloudtrail-logs-111122223333",
            "logStream": "111122223333_CloudTrail_us-east-1", "subscriptionFilters": ["to-firehose"]}
    out = [COMPACT(dict(base, messageType="CONTROL_MESSAGE", logGroup="", logStream="",
                        logEvents=[{"id": "", "timestamp": 0, "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}]))]
    for i in range(0, len(recs), per_batch):
        events = [{"id": str(10 ** 55 + i + k), "timestamp": 1748822400000 + (i + k) * 1000, "message": COMPACT(rec)}
                  for k, rec in enumerate(recs[i:i + per_batch])]
        out.append(COMPACT(dict(base, messageType="DATA_MESSAGE", logEvents=events)))
    return "".join(out).encode()


def two_members(data, cut):
    """Two gzip members whose concatenated payloads are `data` (cut at byte `cut`)."""
    return gz(data[:cut]) + gz(data[cut:])


def write_formats(out_dir, seed):
    os.makedirs(out_dir, exist_ok=True)
    recs = sample_records(seed)
    records_doc = b'{"Records":[' + b",".join(COMPACT(r).encode() for r in recs) + b"]}"
    lines = b"".join(COMPACT(r).encode() + b"\n" for r in recs)
    r = rng(seed, "eventbridge")
    eb = b"".join(COMPACT(eventbridge(rec, r)).encode() + b"\n" for rec in recs)
    pretty = (json.dumps({"Records": recs}, indent=2, ensure_ascii=False) + "\n").encode()
    half = len(lines[: len(lines) // 2].rsplit(b"\n", 1)[0]) + 1
    files = {
        "cloudtrail-records.json.gz": (gz(records_doc), "S3 delivery file: {\"Records\":[...]} in one gzip member"),
        "cloudtrail-records.json": (records_doc, "The same document, not compressed"),
        "cloudtrail-records-pretty.json": (pretty, "Indented {\"Records\": [...]} as saved from the console / jq"),
        "cloudtrail-records-multimember.json.gz": (two_members(records_doc, len(records_doc) // 2),
                                                   "The Records document split mid-record across two gzip members"),
        "cloudtrail-lines.jsonl.gz": (gz(lines), "One raw record per line (CloudWatch Logs / Lake / Athena export style)"),
        "cloudtrail-lines.jsonl": (lines, "The same lines, not compressed"),
        "cloudtrail-lines-multimember.jsonl.gz": (two_members(lines, half),
                                                  "Lines in two gzip members (cat a.gz b.gz), split at a line boundary"),
        "eventbridge.jsonl.gz": (gz(eb), "EventBridge envelopes, one per line, the record under \"detail\""),
        "eventbridge.jsonl": (eb, "The same envelopes, not compressed"),
        "cloudwatch-firehose.json.gz": (gz(cloudwatch_batches(recs, r)),
                                        "CloudWatch Logs subscription batches (logEvents[].message) back to back, "
                                        "as Firehose writes them to S3, a control message first"),
    }
    for name, (data, _) in files.items():
        with open(os.path.join(out_dir, name), "wb") as fh:
            fh.write(data)
    manifest = {"events": len(recs), "event_ids": [x["eventID"] for x in recs],
                "files": {name: {"events": len(recs), "description": desc} for name, (_, desc) in files.items()}}
    with open(os.path.join(out_dir, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    _readme(out_dir, recs, files)
    return recs


def _readme(out_dir, recs, files):
    types = sorted({(r.get("userIdentity") or {}).get("type") or "(none)" for r in recs})
    kinds = sorted({r.get("eventType", "") for r in recs})
    lines = ["# CloudTrail container formats", "",
             "Every file holds the same %d events (same eventIDs, listed in `manifest.json`), so a test can "
             "check that each format decodes to exactly the same set." % len(recs), "",
             "Identity types present: %s. Event types: %s." % (", ".join(types), ", ".join(kinds)), "",
             "| file | what it is |", "|---|---|"]
    lines += ["| `%s` | %s |" % (name, desc) for name, (_, desc) in files.items()]
    lines += ["", "Generated by `tools/gen_corpora.py` (do not edit by hand). Formats must be recognised by "
              "content, not by file name.", ""]
    with open(os.path.join(out_dir, "README.md"), "w") as fh:
        fh.write("\n".join(lines))

