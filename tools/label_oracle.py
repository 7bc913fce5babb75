#!/usr/bin/env python3
"""Check that each labelled attack step is justified by the data, with a deliberately
naive reference model of the detectors (first-seen sets per identity, counts in windows),
and report how much novelty the benign background shows after the learning period.

    python3 tools/label_oracle.py [corpora/cloudtrail/scenarios/NAME | corpora/cloudtrail/demo] ...

This is not Trailhound's logic: it only proves the corpora carry the signal the labels
claim (e.g. an "identity.new_api" step really uses an API its identity never used before).
"""

import gzip
import json
import os
import sys
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "corpora", "cloudtrail")
RULES = {"evasion.cloudtrail_tampering": {"StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"},
         "evasion.guardduty_disabled": {"DeleteDetector", "UpdateDetector"},
         "evasion.config_disabled": {"StopConfigurationRecorder", "DeleteConfigurationRecorder"},
         "evasion.flow_logs_deleted": {"DeleteFlowLogs"},
         "evasion.bedrock_logging_deleted": {"DeleteModelInvocationLoggingConfiguration"},
         "persistence.iam_user_created": {"CreateUser"}, "persistence.access_key_for_other_user": {"CreateAccessKey"},
         "persistence.login_profile": {"CreateLoginProfile"}, "privesc.admin_policy": {"AttachUserPolicy"},
         "persistence.role_trust_external": {"UpdateAssumeRolePolicy"}}


def key_of(rec):
    ui = rec.get("userIdentity") or {}
    if ui.get("type") == "AssumedRole":
        return ui["sessionContext"]["sessionIssuer"]["arn"]
    if ui.get("type") == "AWSService":
        return "service:" + ui.get("invokedBy", "")
    return ui.get("arn") or ui.get("type") or "unknown"


def family(ua):
    ua = (ua or "").lstrip("[")
    if ua.endswith(".amazonaws.com") or ua == "AWS Internal":
        return "aws-internal"
    head = ua.split("/")[0].split(" ")[0]
    return {"aws-internal": "console", "S3Console": "console", "Mozilla": "console", "APN": "terraform"}.get(head, head)


def load(root):
    recs = {}
    for dirpath, _, files in os.walk(os.path.join(root, "AWSLogs")):
        for f in files:
            if "_CloudTrail_" in f:
                for r in json.loads(gzip.decompress(open(os.path.join(dirpath, f), "rb").read()))["Records"]:
                    recs[r["eventID"]] = r
    return sorted(recs.values(), key=lambda r: r["eventTime"])


def history(recs, before, skip):
    """First-seen sets per identity from events before `before`, ignoring eventIDs in `skip`."""
    h = defaultdict(lambda: {"api": set(), "fam": set(), "ip": set(), "net": set(), "region": set(),
                             "assumed": set(), "key_ips": defaultdict(set)})
    for r in recs:
        if r["eventTime"] >= before:
            break
        if r["eventID"] in skip or r.get("invokedBy") or (r.get("userIdentity") or {}).get("invokedBy"):
            continue
        s = h[key_of(r)]
        s["api"].add(r["eventSource"] + ":" + r["eventName"])
        s["fam"].add(family(r.get("userAgent")))
        ip = r.get("sourceIPAddress", "")
        s["ip"].add(ip)
        s["net"].add(ip.rsplit(".", 1)[0])
        s["region"].add(r["awsRegion"])
        if r["eventName"] == "AssumeRole":
            s["assumed"].add((r.get("requestParameters") or {}).get("roleArn"))
        ak = (r.get("userIdentity") or {}).get("accessKeyId")
        if ak:
            s["key_ips"][ak].add(ip)
    return h


def justify(det, evs, h, recs):
    own = [e for e in evs if not (e.get("userIdentity") or {}).get("invokedBy")]
    if det in RULES:
        return any(e["eventName"] in RULES[det] for e in evs)
    if det == "identity.new_api":
        return any(e["eventSource"] + ":" + e["eventName"] not in h[key_of(e)]["api"] for e in own)
    if det == "identity.new_user_agent":
        return any(family(e.get("userAgent")) not in h[key_of(e)]["fam"] for e in own)
    if det == "identity.new_source":
        return any(e["sourceIPAddress"].rsplit(".", 1)[0] not in h[key_of(e)]["net"] for e in own)
    if det == "identity.unusual_region":
        return any(e["awsRegion"] not in h[key_of(e)]["region"] for e in own)
    if det == "identity.role_chain":
        return any(e["eventName"] == "AssumeRole" and e["requestParameters"]["roleArn"] not in h[key_of(e)]["assumed"]
                   for e in own)
    if det == "secrets.enumeration":
        return len({e["requestParameters"]["secretId"] for e in own if e["eventName"] == "GetSecretValue"}) >= 20
    if det == "discovery.burst":
        reads = {e["eventName"] for e in own if e["eventName"].startswith(("List", "Describe", "Get"))}
        return len(reads) >= 20
    if det == "credentials.exfiltration":
        for e in own:
            ak = e["userIdentity"].get("accessKeyId", "")
            seen = h[key_of(e)]["key_ips"].get(ak, set())
            if ak.startswith("ASIA") and seen and e["sourceIPAddress"] not in seen:
                return True
        return False
    if det == "identity.volume_spike":
        k = key_of(own[0])
        hourly = defaultdict(int)
        for r in recs:
            if key_of(r) == k and r["eventTime"] < own[0]["eventTime"]:
                hourly[r["eventTime"][:13]] += 1
        return len(own) > 10 * max(hourly.values() or [1])
    return None


def check(root):
    labels = json.load(open(os.path.join(root, "labels.json")))
    recs = load(root)
    by_id = {r["eventID"]: r for r in recs}
    bad = set()
    for a in labels["attacks"]:
        bad.update(a["event_ids"])
    problems = 0
    for a in labels["attacks"]:
        h = history(recs, a["window"]["start"], bad)
        for s in a["steps"]:
            evs = [by_id[e] for e in s["event_ids"]]
            for det in s["detectors"]:
                ok = justify(det, evs, h, recs)
                if ok is False:
                    problems += 1
                    print("  NOT JUSTIFIED %s / %s: %s" % (a["name"], s["name"], det))
                elif ok is None:
                    print("  (no oracle for %s)" % det)
    # Background novelty after learning (what a naive first-seen model would flag).
    learn_end = labels["corpus"]["learning_end"]
    h = history(recs, learn_end, bad)
    benign = {e for c in labels["benign_changes"] for e in c["event_ids"]}
    novel = defaultdict(set)
    for r in recs:
        if r["eventTime"] < learn_end or r["eventID"] in bad or (r.get("userIdentity") or {}).get("invokedBy"):
            continue
        k, s = key_of(r), h[key_of(r)]
        if not s["api"]:
            continue  # identity first seen after learning
        for dim, val in (("api", r["eventSource"] + ":" + r["eventName"]), ("fam", family(r.get("userAgent"))),
                         ("net", r.get("sourceIPAddress", "").rsplit(".", 1)[0]), ("region", r["awsRegion"])):
            if val not in s[dim]:
                novel[(k.rsplit("/", 1)[-1], dim, val)].add("benign-change" if r["eventID"] in benign else "background")
    print("%s: %d events, %d attack events; post-learning novelty (identity, dimension, value):" % (
        os.path.basename(root.rstrip("/")), len(recs), len(bad)))
    for (k, dim, val), why in sorted(novel.items()):
        print("    %-48s %-6s %-40s %s" % (k[:48], dim, val[:40], ",".join(sorted(why))))
    return problems


def main(argv):
    roots = argv or [os.path.join(ROOT, "demo")] + sorted(
        os.path.join(ROOT, "scenarios", n) for n in os.listdir(os.path.join(ROOT, "scenarios"))
        if os.path.isdir(os.path.join(ROOT, "scenarios", n)))
    problems = sum(check(r) for r in roots)
    print("%d unjustified label(s)" % problems)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
