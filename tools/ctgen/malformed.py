"""One file per bad-input case, each with good records around the bad part, plus
CASES.md (for people) and cases.json (for tests) saying what each file must produce."""

import copy
import json
import os
import zlib

from .core import compact_json as COMPACT
from .core import gz


def enc(rec):
    return COMPACT(rec).encode()


def records_doc(parts):
    return b'{"Records":[' + b",".join(parts) + b"]}"


def brackets(data):
    """+1 / -1 for every bracket or brace outside JSON strings."""
    in_str = esc = False
    for c in data:
        if in_str:
            if esc:
                esc = False
            elif c == 0x5C:
                esc = True
            elif c == 0x22:
                in_str = False
        elif c == 0x22:
            in_str = True
        elif c in (0x7B, 0x5B):
            yield 1
        elif c in (0x7D, 0x5D):
            yield -1


def count_complete_records(prefix):
    """Records fully present in a (possibly cut) {"Records":[...]} byte prefix."""
    depth = n = 0
    for step in brackets(prefix[prefix.find(b"[") + 1:]):
        depth += step
        if depth < 0:
            break
        if step < 0 and depth == 0:
            n += 1
    return n


def max_depth(data):
    depth = best = 0
    for step in brackets(data):
        depth += step
        best = max(best, depth)
    return best


class Case:
    def __init__(self, name, codes, description, data, good_ids, bad=1, note=""):
        self.name, self.codes, self.description = name, codes, description
        self.data, self.good_ids, self.bad, self.note = data, good_ids, bad, note


def build_cases(pool):
    """pool: good records (dicts) to surround the bad parts with."""
    good = [enc(r) for r in pool]
    ids = [r["eventID"] for r in pool]
    before, after = good[:3], good[3:6]
    around = ids[:3] + ids[3:6]
    cases = []

    def wrapped(bad_parts):
        return records_doc(before + bad_parts + after)

    # Truncated gzip: a valid 40-record file cut in half.
    doc = records_doc(good[:40])
    full = gz(doc)
    cut = full[: len(full) // 2]
    got = zlib.decompressobj(16 + 15).decompress(cut)
    n = count_complete_records(got)
    cases.append(Case("truncated.json.gz", ["gzip.truncated"],
                      "A valid 40-record file cut in half (%d of %d bytes). The records inflated before the cut are "
                      "good." % (len(cut), len(full)), cut, ids[:n], bad=40 - n,
                      note="Records after the cut are lost; the cut also leaves a partial record (no extra frame error "
                           "is required for it)."))

    # Corrupt gzip: an invalid deflate block header in the middle (after a full flush at a record boundary).
    c = zlib.compressobj(6, zlib.DEFLATED, 16 + 15)
    part1 = b'{"Records":[' + b",".join(good[:20]) + b","
    part2 = b",".join(good[20:40]) + b"]}"
    data = bytearray(c.compress(part1) + c.flush(zlib.Z_FULL_FLUSH))
    at = len(data)
    data += c.compress(part2) + c.flush()
    data[at] = (data[at] & 0xF8) | 0x06  # BTYPE 11 = reserved: "invalid block type"
    data[at + 1] ^= 0xFF
    data[at + 2] ^= 0x5A
    cases.append(Case("corrupt.json.gz", ["gzip.corrupt"],
                      "40 records; bytes flipped at offset %d of %d, the start of a deflate block after record 20. "
                      "zlib reports Z_DATA_ERROR there." % (at, len(data)), bytes(data), ids[:20], bad=20,
                      note="The 20 records before the damage inflate cleanly and are kept; the rest of this member is "
                           "unreadable. Other files in the same run must still be processed."))

    lines = b"".join(g + b"\n" for g in before + [good[6], good[7]])
    lines += b'this is not json {"eventVersion": "1.09", "eventName": broken\n'
    lines += b"".join(g + b"\n" for g in after + [good[8], good[9]])
    cases.append(Case("not-json-line.jsonl.gz", ["frame.not_json"],
                      "JSON lines: 5 good lines, one line that is not JSON, 5 good lines.", gz(lines),
                      ids[:3] + ids[6:8] + ids[3:6] + ids[8:10]))

    cases.append(Case("element-not-object.json.gz", ["decode.not_object"],
                      "A Records array whose 4th and 5th elements are a string and a number.",
                      gz(wrapped([b'"not a record"', b"42"])), around, bad=2,
                      note="Two diagnostics (one per bad element)."))

    deep = copy.deepcopy(pool[10])
    deep_bytes = enc(deep)
    nested = b'{"a":' * 10000 + b"1" + b"}" * 10000
    deep_bytes = deep_bytes.replace(b'"requestParameters":' + enc(deep.get("requestParameters")),
                                    b'"requestParameters":' + nested, 1)
    assert nested in deep_bytes
    cases.append(Case("deep-nesting.json.gz", ["frame.too_deep", "decode.too_deep"],
                      "One record whose requestParameters nest 10,000 objects deep.", gz(wrapped([deep_bytes])), around,
                      note="Either code is acceptable (framer or decoder may enforce the depth limit)."))

    huge = copy.deepcopy(pool[11])
    huge["requestParameters"] = {"policyDocument": "A" * (20 * 1024 * 1024)}
    cases.append(Case("huge-string.json.gz", ["frame.too_large"],
                      "One record holding a 20 MiB string in requestParameters.policyDocument (compresses to ~20 KB).",
                      gz(wrapped([enc(huge)]), 9), around,
                      note="The record exceeds any sane per-record cap; memory must stay bounded while skipping it."))

    bad_utf8 = enc(pool[12]).replace(b'"userAgent":"', b'"userAgent":"\xff\xfe\xc3(bad-utf8 ', 1)
    assert b"\xff\xfe" in bad_utf8
    cases.append(Case("invalid-utf8.json.gz", ["decode.invalid_utf8"],
                      "One record whose userAgent holds the bytes FF FE C3 28 (not UTF-8).", gz(wrapped([bad_utf8])),
                      around, note="The bad record may be dropped or kept with U+FFFD replacement; the other 6 must be "
                                   "kept."))

    no_ident = copy.deepcopy(pool[13])
    del no_ident["userIdentity"]
    cases.append(Case("missing-useridentity.json.gz", ["decode.missing_identity"],
                      "One AwsApiCall record without userIdentity.", gz(wrapped([enc(no_ident)])), around,
                      note="The record may be kept with an unknown identity (some service events lack it) but the "
                           "diagnostic must be raised."))

    no_time = copy.deepcopy(pool[14])
    del no_time["eventTime"]
    cases.append(Case("missing-eventtime.json.gz", ["decode.missing_field"], "One record without eventTime.",
                      gz(wrapped([enc(no_time)])), around))

    bad_time = copy.deepcopy(pool[15])
    bad_time["eventTime"] = "yesterday"
    cases.append(Case("bad-eventtime.json.gz", ["decode.bad_time"], 'One record with "eventTime": "yesterday".',
                      gz(wrapped([enc(bad_time)])), around))

    strs = []
    for rec in pool[16:23]:
        rec = copy.deepcopy(rec)
        for k in ("readOnly", "managementEvent"):
            if isinstance(rec.get(k), bool):
                rec[k] = "true" if rec[k] else "false"
        strs.append(enc(rec))
    cases.append(Case("booleans-as-strings.json.gz", [],
                      "7 records whose readOnly / managementEvent are the strings \"true\"/\"false\" (as some "
                      "exporters write them).", gz(records_doc(strs)), [r["eventID"] for r in pool[16:23]], bad=0,
                      note="Valid input: all 7 records must be kept and readOnly read as a boolean. No error; a "
                           "warning is tolerated."))

    nul = copy.deepcopy(pool[23])
    for k in ("userAgent", "sourceIPAddress", "requestParameters", "responseElements", "additionalEventData",
              "requestID", "readOnly", "resources", "eventType", "managementEvent", "recipientAccountId",
              "eventCategory", "tlsDetails", "errorCode", "errorMessage", "awsRegion", "eventVersion",
              "sharedEventID", "vpcEndpointId", "sessionCredentialFromConsole", "serviceEventDetails"):
        nul[k] = None
    ui = nul["userIdentity"]
    for k in ("accessKeyId", "invokedBy", "sessionContext", "userName", "principalId"):
        ui[k] = None
    cases.append(Case("nulls-everywhere.json.gz", [],
                      "One record with null in every optional field (userAgent, sourceIPAddress, awsRegion, "
                      "readOnly, resources, tlsDetails, userIdentity.accessKeyId/sessionContext, ...).",
                      gz(wrapped([enc(nul)])), ids[:3] + [nul["eventID"]] + ids[3:6], bad=0,
                      note="Valid input: all 7 records kept, no error."))

    plain = records_doc(good[24:30])
    cases.append(Case("plain-json-named-gz.json.gz", [],
                      "An uncompressed {\"Records\":[...]} document with a .gz name.", plain,
                      ids[24:30], bad=0, note="Formats are recognised by content: all 6 records kept, no error."))
    return cases


def write_malformed(out_dir, pool):
    os.makedirs(out_dir, exist_ok=True)
    cases = build_cases(pool)
    meta = []
    for c in cases:
        with open(os.path.join(out_dir, c.name), "wb") as fh:
            fh.write(c.data)
        meta.append({"file": c.name, "expected_codes": c.codes, "description": c.description,
                     "good_events": len(c.good_ids), "good_event_ids": c.good_ids, "bad_records": c.bad,
                     "note": c.note})
    with open(os.path.join(out_dir, "cases.json"), "w") as fh:
        json.dump({"cases": meta}, fh, indent=2)
        fh.write("\n")
    lines = ["# Malformed CloudTrail input", "",
             "One file per bad-input case. Each file keeps good records around the bad part so a test can check "
             "that the good ones survive and the bad part becomes a diagnostic with a stable code. "
             "`cases.json` holds the same table for tests, with the good eventIDs.", "",
             "| file | bad part | expected diagnostic code(s) | good events kept | note |", "|---|---|---|---|---|"]
    for m in meta:
        codes = " or ".join("`%s`" % x for x in m["expected_codes"]) or "none (valid input)"
        lines.append("| `%s` | %s | %s | %d | %s |" % (m["file"], m["description"], codes, m["good_events"], m["note"]))
    lines += ["", "Generated by `tools/gen_corpora.py`; do not edit by hand.", ""]
    with open(os.path.join(out_dir, "CASES.md"), "w") as fh:
        fh.write("\n".join(lines))
    return meta
