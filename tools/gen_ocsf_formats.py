#!/usr/bin/env python3
"""Re-shipped shapes of the CloudTrail container corpus (corpora/cloudtrail/formats).

From `cloudtrail-lines.jsonl` (the 60 events every file there holds) this writes:
- `ocsf-api-activity.jsonl.gz`: OCSF 1.1 API Activity (class 6003), one per line, with the field
  mapping AWS publishes for Security Lake (`actor.user.uid` = ARN, `uid_alt` = principal id,
  `api.request.data` as JSON text as Parquet exports hold it); no `unmapped.userIdentity`, so the
  identity comes from `actor` alone;
- `logstash-cloudtrail.jsonl`: what Logstash's CloudTrail codec emits (`eventTime` moved to
  `@timestamp`, `@version`, `requestParameters.disableApiTermination` wrapped as `{"value": …}`).
Deterministic (sorted keys, gzip mtime 0). Run from the repository root.
"""
import gzip
import io
import json
import pathlib
from datetime import datetime, timezone

DIR = pathlib.Path("corpora/cloudtrail/formats")


def millis(t):
    return int(datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp() * 1000)


def put(d, k, v):
    if v is not None:
        d[k] = v


def actor(ui):
    user = {}
    for src, dst in [("type", "type"), ("arn", "uid"), ("principalId", "uid_alt"), ("userName", "name"),
                     ("accessKeyId", "credential_uid")]:
        put(user, dst, ui.get(src))
    if ui.get("accountId"):
        user["account"] = {"uid": ui["accountId"]}
    out = {"user": user}
    put(out, "invoked_by", ui.get("invokedBy"))
    if ui.get("identityProvider"):
        out["idp"] = {"name": ui["identityProvider"]}
    ctx = ui.get("sessionContext")
    if ctx:
        session = {}
        put(session, "issuer", (ctx.get("sessionIssuer") or {}).get("arn"))
        mfa = (ctx.get("attributes") or {}).get("mfaAuthenticated")
        if mfa is not None:
            session["is_mfa"] = mfa == "true"
        out["session"] = session
    return out


def ocsf(ct):
    api = {"operation": ct["eventName"], "service": {"name": ct["eventSource"]}}
    request = {}
    put(request, "uid", ct.get("requestID"))
    if ct.get("requestParameters") is not None:
        request["data"] = json.dumps(ct["requestParameters"], sort_keys=True, separators=(",", ":"))
    api["request"] = request
    response = {}
    put(response, "error", ct.get("errorCode"))
    put(response, "message", ct.get("errorMessage"))
    put(response, "data", ct.get("responseElements"))
    api["response"] = response
    rec = {"class_uid": 6003, "category_uid": 6, "type_uid": 600399, "activity_id": 99, "severity_id": 1,
           "status": "Failure" if ct.get("errorCode") else "Success", "time": millis(ct["eventTime"]), "api": api,
           "cloud": {"provider": "AWS"}, "metadata": {"version": "1.1.0", "product": {"name": "CloudTrail",
                                                                                   "vendor_name": "AWS"}}}
    if ct.get("userIdentity"):
        rec["actor"] = actor(ct["userIdentity"])
    put(rec["cloud"], "region", ct.get("awsRegion"))
    if ct.get("recipientAccountId"):
        rec["cloud"]["account"] = {"uid": ct["recipientAccountId"]}
    put(rec["metadata"], "uid", ct.get("eventID"))
    put(rec["metadata"], "event_code", ct.get("eventType"))
    put(rec["metadata"], "log_name", ct.get("eventCategory"))
    if ct.get("sourceIPAddress"):
        rec["src_endpoint"] = {"ip": ct["sourceIPAddress"]}
    if ct.get("userAgent"):
        rec["http_request"] = {"user_agent": ct["userAgent"]}
    unmapped = {k: ct[k] for k in ("readOnly", "resources", "additionalEventData", "managementEvent",
                                   "vpcEndpointId", "eventVersion") if k in ct}
    rec["unmapped"] = unmapped
    return rec


def logstash(ct):
    out = dict(ct)
    out["@timestamp"] = out.pop("eventTime").replace("Z", ".000Z")
    out["@version"] = "1"
    params = out.get("requestParameters")
    if isinstance(params, dict) and "disableApiTermination" in params and not isinstance(
            params["disableApiTermination"], dict):
        params = dict(params)
        params["disableApiTermination"] = {"value": params["disableApiTermination"]}
        out["requestParameters"] = params
    return out


def main():
    records = [json.loads(line) for line in (DIR / "cloudtrail-lines.jsonl").read_text().splitlines() if line]
    text = "".join(json.dumps(ocsf(r), sort_keys=True, separators=(",", ":")) + "\n" for r in records)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as z:
        z.write(text.encode())
    (DIR / "ocsf-api-activity.jsonl.gz").write_bytes(buf.getvalue())
    (DIR / "logstash-cloudtrail.jsonl").write_text(
        "".join(json.dumps(logstash(r), sort_keys=True, separators=(",", ":")) + "\n" for r in records))
    print(f"wrote {len(records)} events in OCSF and Logstash shapes to {DIR}")


if __name__ == "__main__":
    main()
