#!/usr/bin/env python3
"""Scores trailhound against the labelled scenarios in corpora/cloudtrail/scenarios.

For each scenario: runs `trailhound scan`, then reports
  * detector recall: expected detectors that fired on an attack identity / expected detectors,
  * finding precision: findings above `low` that concern the attack (identity in the attack's
    identity_keys, or evidence among its event ids) / all findings above `low`,
  * benign noise: findings above the scenario's allowed maximum outside the attacks,
and, over all scenarios, for each severity threshold (info+, low+, medium+, high+, critical):
attacks detected (an attack counts when a finding at or above the threshold concerns it) / all
labelled attacks, and false findings (concerning no attack) per million events scanned.
With --churn, also the churn-heavy benign organisation (tools/gen_churn_org.py: >= 1 M events, 14 days, all
five sources, attacks woven in), generated into --churn-dir when absent, scanned as one archive, and reported
separately: per attack, the threshold table, and the top false findings with the churn class causing them.
Usage: python3 tools/evaluate.py [--bin .build/release/trailhound] [--json] [--churn [--churn-dir DIR]
                                 [--churn-events N] [--churn-days D] [--churn-only]]
"""
import argparse, json, os, re, subprocess, sys

SEV = ["info", "low", "medium", "high", "critical"]

def overlay(folder):
    """--detectors / --formats for a scenario whose labels.json names overlay folders (`"overlays":
    {"detectors": "detectors", "formats": "formats"}`, relative to the scenario): the repository's
    files with the scenario's files of the same name replacing them (site-specific settings such as
    `workloads:` or a deployment mapping), assembled under .build/eval-overlay/."""
    args = {"detectors": "detectors", "formats": "formats"}
    lab = os.path.join(folder, "labels.json")
    overlays = json.load(open(lab)).get("overlays", {}) if os.path.exists(lab) else {}
    import shutil
    for kind, sub in sorted(overlays.items()):
        merged = os.path.join(".build", "eval-overlay", os.path.basename(os.path.normpath(folder)), kind)
        shutil.rmtree(merged, ignore_errors=True)
        shutil.copytree(kind, merged)
        for n in os.listdir(os.path.join(folder, sub)):
            shutil.copy(os.path.join(folder, sub, n), os.path.join(merged, n))
        args[kind] = merged
    return ["--detectors", args["detectors"], "--formats", args["formats"]]

def run(binary, path, folder=None):
    """Findings and the number of events the scan read (from its summary line)."""
    p = subprocess.run([binary, "scan", path, "--no-progress"] + overlay(folder or path),
                       capture_output=True, text=True)
    if p.returncode not in (0, 3):
        sys.exit(f"trailhound failed on {path}: {p.stderr[-2000:]}")
    m = re.search(r"records, (\d+) events", p.stderr)
    events = int(m.group(1)) if m else 0
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip() and '"type":"incident"' not in l], events

def score(root, name, scanned):
    findings, events = scanned
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
    # Per attack: the most severe finding concerning it; per threshold: false findings.
    detected = []
    for a in labels["attacks"]:
        akeys, aids = set(a["identity_keys"]), set(a["event_ids"])
        sevs = [SEV.index(f["severity"]) for f in findings if f["identity"] in akeys or aids & set(f["event_ids"])]
        detected.append(max(sevs) if sevs else -1)
    false_by_sev = [sum(1 for f in findings if not about(f) and SEV.index(f["severity"]) == i) for i in range(len(SEV))]
    return {
        "scenario": name, "events": events, "attacks": detected, "false_by_severity": false_by_sev,
        "findings": len(findings), "above_allowed": len(loud),
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
    ap.add_argument("--churn", action="store_true", help="also evaluate the churn-heavy organisation")
    ap.add_argument("--churn-only", action="store_true", help="only the churn-heavy organisation (implies --churn)")
    ap.add_argument("--churn-dir", default=".build/eval-churn",
                    help="where the churn corpus is cached (generated when labels.json is absent or options differ)")
    ap.add_argument("--churn-events", type=int, default=1_000_000)
    ap.add_argument("--churn-days", type=int, default=14)
    a = ap.parse_args()
    if a.churn_only:
        return churn(a)
    roots = a.root or ["corpora/cloudtrail/scenarios", "corpora/kubernetes", "corpora/gcp", "corpora/azure",
                       "corpora/workflow", "corpora/workflow/langflow-seed"]
    results = []
    for root in roots:
        if os.path.exists(os.path.join(root, "labels.json")):
            parent, name = os.path.split(os.path.normpath(root))
            results.append(score(parent, name, run(a.bin, logs(root), root)))
            continue
        for n in sorted(os.listdir(root)):
            if os.path.isdir(os.path.join(root, n)) and os.path.exists(os.path.join(root, n, "labels.json")):
                results.append(score(root, n, run(a.bin, logs(os.path.join(root, n)), os.path.join(root, n))))
    if a.json:
        if a.churn:
            results.append(churn(a, quiet=True))
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
    print()
    print(thresholds(results))
    if a.churn:
        print()
        churn(a)

def churn_corpus(a):
    """The churn corpus folder, generated (deterministically) when missing or made with other options."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tools/
    import gen_churn_org
    want = {"events": a.churn_events, "days": a.churn_days, "seed": gen_churn_org.SEED}
    lab = os.path.join(a.churn_dir, "labels.json")
    if os.path.exists(lab) and json.load(open(lab))["corpus"].get("options") == want:
        return a.churn_dir
    import shutil, time
    shutil.rmtree(a.churn_dir, ignore_errors=True)
    t0 = time.time()
    print(f"generating the churn corpus into {a.churn_dir} ({a.churn_events} events, {a.churn_days} days)...",
          file=sys.stderr, flush=True)
    gen_churn_org.generate(a.churn_dir, a.churn_events, a.churn_days, log=lambda m: None)
    print(f"generated in {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    return a.churn_dir

def churn(a, quiet=False):
    """Scores the churn-heavy organisation; prints its own report (unless quiet) and returns its result."""
    folder = churn_corpus(a)
    parent, name = os.path.split(os.path.normpath(folder))
    scanned = run(a.bin, logs(folder))
    r = score(parent, name, scanned)
    r["scenario"] = "churn_org"
    labels = json.load(open(os.path.join(folder, "labels.json")))
    findings = scanned[0]
    keys, ids = set(), set()
    for at in labels["attacks"]:
        keys |= set(at["identity_keys"]); ids |= set(at["event_ids"])
    cause = {}
    for c in labels.get("benign_changes", []):
        for k in c["identity_keys"]:
            cause.setdefault(k, "drift:" + c["name"])
    for c in labels.get("churn_classes", []):
        for k in c["identity_keys"]:
            cause[k] = c["name"]  # a churn class wins over drift on the same identity
    false = [f for f in findings if not (f["identity"] in keys or ids & set(f["event_ids"]))]
    top, repeats = {}, {}
    for f in false:
        k = (f["detector"], cause.get(f["identity"], "base estate: " + f["identity"]))
        top.setdefault(k, [0] * len(SEV))[SEV.index(f["severity"])] += 1
        repeats[k] = repeats.get(k, 0) + f.get("count", 1)
    r["false_top"] = [{"detector": d, "cause": c, "by_severity": dict(zip(SEV, v)), "count": sum(v),
                       "occurrences": repeats[(d, c)]}
                      for (d, c), v in sorted(top.items(), key=lambda kv: -sum(kv[1]))]
    per_attack = []
    for at, best in zip(labels["attacks"], r["attacks"]):
        akeys, aids = set(at["identity_keys"]), set(at["event_ids"])
        fired = sorted({f["detector"] for f in findings if f["identity"] in akeys or aids & set(f["event_ids"])})
        per_attack.append({"name": at["name"], "source": at.get("source", ""),
                           "max_severity": SEV[best] if best >= 0 else None,
                           "missed": sorted(set(at["expected_detectors"]) - set(fired))})
    r["per_attack"] = per_attack
    if quiet:
        return r
    c = labels["corpus"]
    print(f"churn-heavy organisation ({folder}): {r['events']} events scanned, {c.get('days')} days, "
          f"{len(labels['attacks'])} attacks; findings {r['findings']}")
    for p in per_attack:
        print(f"  {p['source']:10} {p['name']:32} most severe {p['max_severity'] or 'NOT DETECTED':8}"
              + (f"  missed {p['missed']}" if p["missed"] else ""))
    print()
    print(thresholds([r]))
    print()
    print("top false findings: findings, occurrences (the findings' repeat counts), detector, cause (churn class, "
          "drift or base-estate identity), by severity:")
    for t in r["false_top"][:10]:
        sev = " ".join(f"{k}={v}" for k, v in t["by_severity"].items() if v)
        print(f"  {t['count']:6} {t['occurrences']:8}  {t['detector']:28} {t['cause']}  ({sev})")
    return r

def thresholds(results):
    """The product table: attacks detected and false findings per million events, per threshold."""
    events = sum(r["events"] for r in results)
    attacks = [s for r in results for s in r["attacks"]]
    out = [f"{'threshold':10} {'attacks detected':>17} {'false findings':>15} {'per million events':>19}   ({events} events)"]
    for i, name in enumerate(SEV):
        hit = sum(1 for s in attacks if s >= i)
        false = sum(sum(r["false_by_severity"][i:]) for r in results)
        label = name + ("+" if i < len(SEV) - 1 else "")
        out.append(f"{label:10} {f'{hit}/{len(attacks)}':>17} {false:>15} {false * 1e6 / max(events, 1):>19.1f}")
    return "\n".join(out)

if __name__ == "__main__":
    main()
