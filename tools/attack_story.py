#!/usr/bin/env python3
"""Per labelled attack of an archive: findings, high+critical findings, incidents.

Runs `trailhound scan PATH --incidents` (JSON lines) and attributes each finding
and incident to the attacks it concerns (identity among the attack's
identity_keys, or evidence among its event ids). The target of issue 10 part 3
("one attack, one story"): one incident and at most 5 high/critical findings per
attack. Usage:
  python3 tools/attack_story.py [--bin .build/release/trailhound] [corpora/cloudtrail/demo]
"""
import argparse, json, os, subprocess, sys

SEV = ["info", "low", "medium", "high", "critical"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=".build/release/trailhound")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("folder", nargs="?", default="corpora/cloudtrail/demo")
    a = ap.parse_args()
    labels = json.load(open(os.path.join(a.folder, "labels.json")))
    logs = os.path.join(a.folder, "AWSLogs")
    p = subprocess.run([a.bin, "scan", logs if os.path.isdir(logs) else a.folder, "--detectors", "detectors",
                        "--incidents", "--no-progress", "--quiet"], capture_output=True, text=True)
    if p.returncode not in (0, 3):
        sys.exit(f"trailhound failed: {p.stderr[-2000:]}")
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    findings = [l for l in lines if l.get("type") != "incident"]
    incidents = [l for l in lines if l.get("type") == "incident"]
    rows = []
    for atk in labels["attacks"]:
        keys, ids = set(atk["identity_keys"]), set(atk["event_ids"])
        mine = [f for f in findings if f["identity"] in keys or ids & set(f["event_ids"])]
        incs = [i for i in incidents if keys & set(i["identities"]) or ids & set(i["event_ids"])]
        rows.append({
            "attack": atk["name"], "findings": len(mine),
            "high_critical": sum(1 for f in mine if SEV.index(f["severity"]) >= 3),
            "critical": sum(1 for f in mine if f["severity"] == "critical"),
            "incidents": len(incs),
            "detectors_medium_plus": sorted({f["detector"] for f in mine if SEV.index(f["severity"]) >= 2}),
            "missed_medium_plus": sorted(set(atk["expected_detectors"])
                                         - {f["detector"] for f in mine if SEV.index(f["severity"]) >= 2}),
        })
    total = {"findings": len(findings), "high_critical": sum(1 for f in findings if SEV.index(f["severity"]) >= 3),
             "critical": sum(1 for f in findings if f["severity"] == "critical"), "incidents": len(incidents)}
    if a.json:
        print(json.dumps({"attacks": rows, "total": total}, indent=2))
        return
    for r in rows:
        print(f"{r['attack']:24} findings {r['findings']:3}  high+critical {r['high_critical']:3}  "
              f"critical {r['critical']:3}  incidents {r['incidents']:2}"
              + (f"  not at medium+: {r['missed_medium_plus']}" if r["missed_medium_plus"] else ""))
    print(f"{'archive':24} findings {total['findings']:3}  high+critical {total['high_critical']:3}  "
          f"critical {total['critical']:3}  incidents {total['incidents']:2}")


if __name__ == "__main__":
    main()
