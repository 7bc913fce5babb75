#!/usr/bin/env python3
"""Scores trailhound against the labelled scenarios in corpora/cloudtrail/scenarios.

For each scenario: runs `trailhound scan`, then reports
  * detector recall: expected detectors that fired on an attack identity / expected detectors,
  * finding precision: findings above `low` that concern the attack (identity in the attack's
    identity_keys, or evidence among its event ids) / all findings above `low`,
  * benign noise: findings above the scenario's allowed maximum outside the attacks.
Usage: python3 tools/evaluate.py [--bin .build/release/trailhound] [--json]
"""
import argparse, json, os, subprocess, sys

SEV = ["info", "low", "medium", "high", "critical"]

def run(binary, path):
    p = subprocess.run([binary, "scan", path, "--detectors", "detectors", "--no-progress", "--quiet"],
                       capture_output=True, text=True)
    if p.returncode not in (0, 3):
        sys.exit(f"trailhound failed on {path}: {p.stderr[-2000:]}")
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]

def score(root, name, findings):
    labels = json.load(open(os.path.join(root, name, "labels.json")))
    keys, ids, expected = set(), set(), set()
    for a in labels["attacks"]:
        keys |= set(a["identity_keys"]); ids |= set(a["event_ids"]); expected |= set(a["expected_detectors"])
    allowed = SEV.index(labels.get("expectations", {}).get("max_severity_outside_attacks", "low"))
    about = lambda f: f["identity"] in keys or bool(ids & set(f["event_ids"]))
    fired = {f["detector"] for f in findings if about(f)}
    loud = [f for f in findings if SEV.index(f["severity"]) > allowed]
    tp = [f for f in loud if about(f)]
    noise = [f for f in loud if not about(f)]
    return {
        "scenario": name, "findings": len(findings), "above_allowed": len(loud),
        "expected": sorted(expected), "missed": sorted(expected - fired),
        "recall": (len(expected & fired) / len(expected)) if expected else None,
        "precision": (len(tp) / len(loud)) if loud else None,
        "noise": [f"{f['severity']} {f['detector']} {f['identity']} {f['key']}" for f in noise],
    }

def logs(folder):
    """The folder to scan: AWSLogs/ or logs/ inside a scenario when present."""
    for sub in ("AWSLogs", "logs"):
        if os.path.isdir(os.path.join(folder, sub)):
            return os.path.join(folder, sub)
    return folder

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=".build/release/trailhound")
    ap.add_argument("--root", action="append",
                    help="folder of scenario folders (default: CloudTrail scenarios), or a single scenario folder")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    roots = a.root or ["corpora/cloudtrail/scenarios", "corpora/kubernetes", "corpora/gcp", "corpora/azure",
                       "corpora/workflow"]
    results = []
    for root in roots:
        if os.path.exists(os.path.join(root, "labels.json")):
            parent, name = os.path.split(os.path.normpath(root))
            results.append(score(parent, name, run(a.bin, logs(root))))
            continue
        for n in sorted(os.listdir(root)):
            if os.path.isdir(os.path.join(root, n)) and os.path.exists(os.path.join(root, n, "labels.json")):
                results.append(score(root, n, run(a.bin, logs(os.path.join(root, n)))))
    if a.json:
        print(json.dumps(results, indent=2)); return
    exp = sum(len(r["expected"]) for r in results); hit = exp - sum(len(r["missed"]) for r in results)
    loud = sum(r["above_allowed"] for r in results); noise = sum(len(r["noise"]) for r in results)
    for r in results:
        rec = "n/a" if r["recall"] is None else f"{r['recall']:.0%}"
        pre = "n/a" if r["precision"] is None else f"{r['precision']:.0%}"
        print(f"{r['scenario']:24} findings {r['findings']:4}  above-allowed {r['above_allowed']:3}  recall {rec:>5}  precision {pre:>5}"
              + (f"  missed {r['missed']}" if r["missed"] else ""))
        for n in r["noise"]: print(f"    noise: {n}")
    print(f"overall: detector recall {hit}/{exp} = {hit/exp:.1%}; finding precision {loud-noise}/{loud} = {(loud-noise)/max(loud,1):.1%}")

if __name__ == "__main__":
    main()
