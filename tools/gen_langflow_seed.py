#!/usr/bin/env python3
"""Builds corpora/workflow/langflow-seed/: the seed scenario with all three evidence kinds.

    python3 tools/gen_langflow_seed.py [OUT] [--capture corpora/workflow/langflow-real/1.2.0/container]

- the front door: nginx's JSON access log (`access.json`, with `has_auth`) captured in front of a
  real Langflow 1.2.0 under the public proof of concept of CVE-2025-3248 (tools/capture_langflow.sh),
  copied unchanged (gzipped) to logs/nginx/;
- the server: Langflow's own stdout of the same run (LANGFLOW_LOG_ENV=container), unchanged, to
  logs/langflow/;
- the cloud: CloudTrail of the server's instance role (`langflow-server`) in the S3 delivery layout,
  generated with tools/ctgen (the style of tools/gen_cloudtrail.py): ten benign days before the
  capture, then, 75 seconds after the captured exploit request, the `ai_workflow_compromise` attack
  (identity probing, secret and parameter harvesting from the server, the session key used from
  the internet).

labels.json lists both attack halves (the workflow identity of the requests and the role), and
`overlays` names the site-specific files the scan needs (evaluate.py merges them over detectors/
and formats/): the deployment mapping (host langflow.example.com is server langflow-prod), the
Langflow record mapping with that server name, and `workloads:` (langflow-prod runs as the role).
Deterministic: same capture and seed, same bytes.
"""
import argparse, gzip, json, os, shutil, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ctgen.attacks import ai_workflow_compromise  # noqa: E402
from ctgen.core import DAY, iso  # noqa: E402
from ctgen.population import standard_org  # noqa: E402
from ctgen.scenarios import labels, write_json  # noqa: E402
from ctgen.world import World  # noqa: E402

SEED = 20261207
ACCOUNT = "482913376051"
SERVER = "langflow-prod"
HOST = "langflow.example.com"
BACKGROUND_DAYS = 10


def gz_copy(src, dst):
    opener = gzip.open if src.endswith(".gz") else open
    with opener(src, "rb") as f:
        data = f.read()
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with gzip.GzipFile(dst, "wb", mtime=0) as f:
        f.write(data)


def find(folder, name):
    for n in (name, name + ".gz"):
        if os.path.exists(os.path.join(folder, n)):
            return os.path.join(folder, n)
    sys.exit(f"{name} not found in {folder}")


def overlays(out, role):
    d, f = os.path.join(out, "detectors"), os.path.join(out, "formats")
    os.makedirs(d, exist_ok=True)
    os.makedirs(f, exist_ok=True)
    text = open("detectors/workflow.workload_activity.yaml").read()
    text = text.replace("  workloads: []\n", f"  workloads:\n    - server: {SERVER}\n      identity: {role}\n")
    open(os.path.join(d, "workflow.workload_activity.yaml"), "w").write(text)
    for name in sorted(os.listdir("formats")):
        if name.startswith("langflow-app") or name == "langflow-login.yaml":
            text = open(os.path.join("formats", name)).read().replace("  server: langflow\n", f"  server: {SERVER}\n")
            open(os.path.join(f, name), "w").write(text)
    open(os.path.join(f, "deployments.yaml"), "w").write(
        "# Which front-door host is which AI-workflow server (this scenario's site).\n"
        f"version: 1\nkind: deployments\ndeployments:\n  - {{name: {SERVER}, kind: langflow, host: \"{HOST}\"}}\n"
        "  # nginx `combined` lines name no host: the same server when read from that log\n"
        f"  - {{name: {SERVER}, kind: langflow, front_door: nginx}}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default="corpora/workflow/langflow-seed")
    ap.add_argument("--capture", default="corpora/workflow/langflow-real/1.2.0/container")
    a = ap.parse_args()
    timeline = [json.loads(l) for l in open(os.path.join(a.capture, "timeline.jsonl"))]
    exploit = next(t for t in timeline if t["what"] == "exploit_validate_code")
    t_exploit = int(exploit["time"] * 1000)
    day0 = (t_exploit // DAY - BACKGROUND_DAYS) * DAY
    shutil.rmtree(os.path.join(a.out, "logs"), ignore_errors=True)
    gz_copy(find(a.capture, "access.json"), os.path.join(a.out, "logs", "nginx", "access.json.gz"))
    gz_copy(find(a.capture, "stdout.log"), os.path.join(a.out, "logs", "langflow", "stdout.log.gz"))

    world = World(seed=SEED, start_day=iso(day0)[:10], days=BACKGROUND_DAYS + 1, accounts={ACCOUNT: ["us-east-1"]})
    org = standard_org(world, ACCOUNT, ["us-east-1"], scale=0.6, features={"langflow"})
    attack = ai_workflow_compromise(world, org, t_exploit + 75_000)
    role = attack.identity_keys[0]
    # Six-hour delivery windows (real trails deliver every ~5 minutes) keep the committed corpus small.
    result = world.generate(os.path.join(a.out, "logs"), digests=False, dup_prob=0.0, late_prob=0.0, window_ms=6 * 3_600_000)
    doc = labels("langflow_seed", attack.description, world, result, [attack], [], SEED)
    doc["generator"] = "tools/gen_langflow_seed.py"
    doc["description"] = ("An exposed Langflow 1.2.0 (real capture) exploited through CVE-2025-3248 by 203.0.113.66, "
                          "then its instance role used from the server and from the internet (generated CloudTrail).")
    doc["overlays"] = {"detectors": "detectors", "formats": "formats"}
    doc["expectations"] = {"max_severity_outside_attacks": "low"}
    cloud = doc["attacks"][0]
    cloud["identity_keys"] = [f"workflow:{SERVER}/anonymous", role]
    cloud["expected_detectors"] = sorted(set(cloud["expected_detectors"]) | {
        "workflow.unauthenticated_execution", "workflow.code_execution_confirmed", "workflow.workload_activity",
        "workflow.exploit_sequence"})
    cloud["front_door"] = {
        "client": exploit["client"], "request": f"{exploit['method']} {exploit['path']}",
        "time": iso(t_exploit), "server": SERVER, "host": HOST,
        "steps": [{"what": t["what"], "time": iso(int(t["time"] * 1000)), "status": t["status"]}
                  for t in timeline if t["client"] == exploit["client"]]}
    write_json(os.path.join(a.out, "labels.json"), doc)
    overlays(a.out, role)
    print(json.dumps(doc["corpus"], indent=2))


if __name__ == "__main__":
    main()
