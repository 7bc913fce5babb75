#!/usr/bin/env python3
"""Deterministic corpora for the non-AWS log sources: Kubernetes audit, GCP Cloud Audit Logs,
Azure Activity / Key Vault records and AI-workflow server logs (trailhound.workflow/v1 and
Langflow's loguru access lines).

Each corpus (corpora/<format>/) has:
  logs/background/   ten days of benign, low-rate traffic (one file per day, formats mixed:
                     gzip and plain, JSON lines, JSON arrays, wrapper documents)
  logs/incident/     day 11: the same benign traffic plus an attack
  malformed/         a truncated gzip and a file with a non-JSON line and a cut-off record
  labels.json        attack identities, expected detectors, attack event ids, malformed cases

Python 3 standard library only. Same options, same bytes: every random choice comes from a
stream seeded by its purpose, gzip members carry mtime 0 and no file name.

  python3 tools/gen_sources.py corpora                 # regenerate corpora/{kubernetes,gcp,azure,workflow}
  python3 tools/gen_sources.py corpora --check         # compare a fresh generation with the files
  python3 tools/gen_sources.py bench OUT --scale 20    # bigger background per format for Benchmarks/
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ctgen.core import compact_json as dumps  # noqa: E402
from ctgen.core import gz_unknown_os as gzip_bytes  # noqa: E402
from ctgen.core import seeded_stream, tree_diff  # noqa: E402
from ctgen.core import uuid4_bytes as uuid4  # noqa: E402

SEED = 20260301
START = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
BG_DAYS = 10
INCIDENT_DAY = 10  # zero-based: 2026-03-11
GENERATOR = "tools/gen_sources.py"


def rng(*parts):
    """A random stream named by its purpose (SEED changes per `bench` copy)."""
    return seeded_stream(SEED, *parts)


def at(day, hour=0, minute=0, second=0, ms=0):
    return START + dt.timedelta(days=day, hours=hour, minutes=minute, seconds=second, milliseconds=ms)


def ms_of(t):
    return (t - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(milliseconds=1)


def iso(t, digits=6):
    frac = f"{t.microsecond:06d}" + "000"
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ("." + frac[:digits] if digits else "") + "Z"


def fnv_parts(prefix, parts):
    """Same as SourceSupport.syntheticId in Sources/Formats/SourceSupport.swift."""
    h = 0xCBF29CE484222325
    p = 0x100000001B3
    m = (1 << 64) - 1
    for s in parts:
        for b in s.encode():
            h = ((h ^ b) * p) & m
        h = ((h ^ 0x1F) * p) & m
    return prefix + f"{h:016x}"


class Writer:
    """Writes files under a root and remembers their names (sorted output, deterministic bytes)."""

    def __init__(self, root):
        self.root = root
        self.files = []

    def write(self, rel, text, gz):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text.encode()
        if gz:
            data = gzip_bytes(data, 9)
        with open(path, "wb") as f:
            f.write(data)
        self.files.append(rel)
        return data

    def lines(self, rel, records, gz):
        return self.write(rel, "".join(dumps(r) + "\n" for r in records), gz)

    def array(self, rel, records, gz):
        return self.write(rel, "[\n" + ",\n".join(dumps(r) for r in records) + "\n]\n", gz)

    def document(self, rel, key, records, gz):
        return self.write(rel, '{"' + key + '":[\n' + ",\n".join(dumps(r) for r in records) + "\n]}\n", gz)


class Attack:
    def __init__(self, name, description, identity_keys, detectors):
        self.name = name
        self.description = description
        self.identity_keys = identity_keys
        self.detectors = detectors
        self.steps = []
        self.times = []

    def step(self, name, description, detectors, ids, times):
        self.steps.append({"name": name, "description": description, "detectors": detectors, "event_ids": ids})
        self.times += times

    def label(self):
        ids = [i for s in self.steps for i in s["event_ids"]]
        return {
            "name": self.name, "description": self.description, "identity_keys": self.identity_keys,
            "window": {"start": iso(min(self.times), 3), "end": iso(max(self.times), 3)},
            "expected_detectors": self.detectors, "event_count": len(ids), "event_ids": ids, "steps": self.steps,
        }


def labels(fmt, description, attacks, malformed, events):
    return {
        "schema": "trailhound.source-labels/v1", "format": fmt, "description": description, "seed": SEED,
        "generator": GENERATOR,
        "corpus": {
            "start": iso(START, 0), "end": iso(at(INCIDENT_DAY + 1), 0), "background_days": BG_DAYS,
            "incident_day": iso(at(INCIDENT_DAY), 0)[:10], "learning_days": 7, "events": events,
        },
        "attacks": [a.label() for a in attacks],
        "expectations": {
            "max_severity_outside_attacks": "low",
            "background_max_severity": "low",
        },
        "malformed": malformed,
    }


def write_labels(w, lab):
    """labels.json and a README.md that says the same in words."""
    w.write("labels.json", json.dumps(lab, indent=2) + "\n", False)
    f = lab["format"]
    out = [f"# {f} corpus\n", lab["description"] + "\n",
           "Generated by `python3 tools/gen_sources.py corpora` (deterministic; `--check` compares). Layout:\n",
           "- `logs/background/`: ten benign days (2026-03-01 … 2026-03-10), one file per day and source, formats mixed.",
           "- `logs/incident/`: 2026-03-11, the same benign traffic plus the attack(s) below.",
           "- `malformed/`: a truncated gzip and a file with a non-JSON line and a cut record (cases in `labels.json`).",
           "- `labels.json`: attack identities, expected detectors, attack event ids (as the decoder names them).\n",
           f"Scan it: `trailhound scan corpora/{f}/logs --detectors detectors` (background alone: `logs/background`).\n"]
    for a in lab["attacks"]:
        out.append(f"## Attack `{a['name']}`\n\n{a['description']}\n")
        out.append(f"Identity: `{', '.join(a['identity_keys'])}`. Expected detectors: "
                   + ", ".join("`" + d + "`" for d in a["expected_detectors"]) + ".\n")
        out += [f"- {s['name']}: {s['description']} ({len(s['event_ids'])} event(s))" for s in a["steps"]]
        out.append("")
    w.write("README.md", "\n".join(out) + "\n", False)


def truncated_gzip(writer, rel, text, keep):
    """A gzip stream cut after `keep` of its bytes (the events inflated before the cut survive)."""
    data = gzip_bytes(text.encode(), 9)
    cut = data[: int(len(data) * keep)]
    path = os.path.join(writer.root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(cut)
    writer.files.append(rel)


def surviving_prefix(text, keep):
    """Lines of `text` fully inflated from a stream cut at `keep` (checked by decompressing)."""
    full = gzip_bytes(text.encode(), 9)
    data = full[: int(len(full) * keep)]
    d = zlib.decompressobj(16 + 15)
    out = d.decompress(data)
    return out.decode(errors="replace").split("\n")[:-1]


def malformed_cases(writer, good_lines, id_of):
    """Two malformed files from good records: a truncated gzip and a plain file with bad lines."""
    text = "".join(l + "\n" for l in good_lines)
    truncated_gzip(writer, "malformed/truncated.jsonl.gz", text, 0.6)
    survivors = surviving_prefix(text, 0.6)
    mixed = good_lines[:3] + ["this line is not JSON at all", good_lines[3][: len(good_lines[3]) // 2]] + good_lines[4:6]
    writer.write("malformed/mixed.jsonl", "\n".join(mixed) + "\n", False)
    return [
        {"file": "truncated.jsonl.gz", "expected_codes": ["gzip.truncated"],
         "good_event_ids": [id_of(json.loads(l)) for l in survivors[:-1]]},
        {"file": "mixed.jsonl", "expected_codes": ["frame.not_json", "frame.truncated", "decode.syntax"],
         "good_event_ids": [id_of(json.loads(l)) for l in good_lines[:3] + good_lines[4:6]]},
    ]


# --------------------------------------------------------------------------- Kubernetes

K8S_UA = {
    "kubectl": "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819",
    "web": "web/1.4.2 (linux/amd64) kubernetes/$Format",
    "prometheus": "Prometheus/2.51.0",
    "ingress": "nginx-ingress-controller/v1.10.0 (linux/amd64) ingress-nginx/71f78d49f0a496c31d4c19f095469f3f23900f8a",
    "kcm": "kube-controller-manager/v1.29.3 (linux/amd64) kubernetes/6813625/leader-election",
    "velero": "velero-server/v1.13.0 (linux/amd64) 76670e940c52880a18dbbc59e3cbee7b94cd3352",
    "kubelet": "kubelet/v1.29.3 (linux/amd64) kubernetes/6813625",
    "probe": "kube-probe/1.29",
}


class K8s:
    """Kubernetes audit events (two stages per request: RequestReceived, then ResponseComplete)."""

    def __init__(self, stream):
        self.r = stream

    def request(self, t, user, verb, resource=None, ns=None, name=None, sub=None, group="", version="v1",
                status=200, ip="10.0.0.1", ua="kubectl", obj=None, uri=None, groups=None, stages=True):
        audit = uuid4(self.r)
        ref = None
        if resource:
            ref = {"resource": resource}
            if ns:
                ref["namespace"] = ns
            if name:
                ref["name"] = name
            if sub:
                ref["subresource"] = sub
            if group:
                ref["apiGroup"] = group
            ref["apiVersion"] = version
            base = f"/apis/{group}/{version}" if group else f"/api/{version}"
            uri = uri or (base + (f"/namespaces/{ns}" if ns else "") + f"/{resource}" + (f"/{name}" if name else "")
                          + (f"/{sub}" if sub else ""))
        received = t
        done = t + dt.timedelta(milliseconds=self.r.randint(2, 40))
        if groups is None:
            groups = (["system:serviceaccounts", "system:serviceaccounts:" + user.split(":")[2], "system:authenticated"]
                      if user.startswith("system:serviceaccount:") else ["system:authenticated"])
        ev = {
            "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse" if obj else "Metadata",
            "auditID": audit, "stage": "ResponseComplete", "requestURI": uri, "verb": verb,
            "user": {"username": user, "groups": groups}, "sourceIPs": [ip], "userAgent": K8S_UA.get(ua, ua),
        }
        if ref:
            ev["objectRef"] = ref
        ev["responseStatus"] = {"metadata": {}, "code": status}
        if status >= 400:
            ev["responseStatus"].update({"status": "Failure", "reason": "Forbidden" if status == 403 else "NotFound",
                                         "message": f"{resource or uri} is forbidden" if status == 403 else "not found"})
        if obj:
            ev["requestObject"] = obj
        ev["requestReceivedTimestamp"] = iso(received)
        ev["stageTimestamp"] = iso(done)
        ev["annotations"] = {"authorization.k8s.io/decision": "forbid" if status == 403 else "allow",
                             "authorization.k8s.io/reason": "" if status == 403 else "RBAC: allowed by ClusterRoleBinding"}
        out = []
        if stages:
            first = {k: v for k, v in ev.items() if k not in ("responseStatus", "requestObject", "annotations")}
            first["stage"] = "RequestReceived"
            first["stageTimestamp"] = iso(received)
            out.append((received, first))
        out.append((done, ev))
        return audit, out


def k8s_day(day, k):
    """One day of benign cluster traffic: (stage time, record) pairs."""
    r = rng("k8s", "day", day)
    ev = []

    def add(t, *a, **kw):
        ev.extend(k.request(t, *a, **kw)[1])

    web = "system:serviceaccount:shop:web"
    for h in range(24):
        ip = f"10.0.1.{11 + (h + day) % 3}"
        add(at(day, h, r.randint(0, 4), r.randint(0, 59)), web, "get", "configmaps", "shop", "web-config", ip=ip, ua="web")
        add(at(day, h, r.randint(5, 9), r.randint(0, 59)), web, "get", "secrets", "shop", "web-db", ip=ip, ua="web")
        add(at(day, h, r.randint(0, 59), r.randint(0, 59)), "system:node:ip-10-0-1-12.ec2.internal", "patch", "nodes",
            name="ip-10-0-1-12.ec2.internal", sub="status", ip="10.0.1.12", ua="kubelet")
        add(at(day, h, r.randint(0, 59)), "system:anonymous", "get", uri="/healthz", ip="10.0.0.1", ua="probe",
            groups=["system:unauthenticated"], stages=False)
        for half in (0, 30):
            m = half + r.randint(0, 5)
            for res in ("pods", "nodes", "endpoints", "services"):
                add(at(day, h, m, r.randint(0, 59)), "system:serviceaccount:monitoring:prometheus", "list", res,
                    ip="10.0.3.7", ua="prometheus")
            add(at(day, h, half + r.randint(0, 29), r.randint(0, 59)), "system:kube-controller-manager", "update",
                "leases", "kube-system", "kube-controller-manager", group="coordination.k8s.io", ip="10.0.0.2", ua="kcm",
                groups=["system:authenticated"])
        if h % 2 == 0:
            t = at(day, h, 15 + r.randint(0, 10))
            add(t, "system:serviceaccount:ingress-nginx:ingress-nginx", "list", "secrets", ip="10.0.4.9", ua="ingress")
            add(t + dt.timedelta(seconds=1), "system:serviceaccount:ingress-nginx:ingress-nginx", "list", "ingresses",
                group="networking.k8s.io", ip="10.0.4.9", ua="ingress")
            for i, ns in enumerate(("shop", "payments", "auth")):
                add(t + dt.timedelta(seconds=2 + i), "system:serviceaccount:ingress-nginx:ingress-nginx", "get", "secrets",
                    ns, f"tls-{ns}", ip="10.0.4.9", ua="ingress")
    for hour in (10, 15):
        t = at(day, hour, r.randint(0, 20))
        ci = "system:serviceaccount:ci:deployer"
        add(t, ci, "get", "deployments", "shop", "web", group="apps", ip="10.0.2.5")
        add(t + dt.timedelta(seconds=2), ci, "patch", "deployments", "shop", "web", group="apps", ip="10.0.2.5")
        add(t + dt.timedelta(seconds=5), ci, "list", "replicasets", "shop", group="apps", ip="10.0.2.5")
        add(t + dt.timedelta(seconds=9), ci, "list", "pods", "shop", ip="10.0.2.5")
        add(t + dt.timedelta(seconds=30), ci, "get", "deployments", "shop", "web-canary", group="apps", ip="10.0.2.5",
            status=404)
    t = at(day, 2, r.randint(0, 10))
    add(t, "system:serviceaccount:db:backup", "get", "secrets", "db", "pg-credentials", ip="10.0.5.3", ua="velero")
    add(t + dt.timedelta(seconds=3), "system:serviceaccount:db:backup", "list", "persistentvolumeclaims", "db",
        ip="10.0.5.3", ua="velero")
    alice = "alice@example.com"
    t = at(day, 11, r.randint(0, 30))
    pod = f"web-7d9f8c{day % 5}b-x2k{day % 7}p"
    add(t, alice, "list", "pods", "shop", ip="192.0.2.10")
    add(t + dt.timedelta(seconds=20), alice, "get", "pods", "shop", pod, sub="log", ip="192.0.2.10")
    if day % 3 == 0:
        add(t + dt.timedelta(seconds=60), alice, "create", "pods", "shop", pod, sub="exec", ip="192.0.2.10", status=101)
    return ev


def gke_day(day, insert):
    """A second cluster on GKE: Cloud Audit Log entries with serviceName k8s.io (JSON array files)."""
    r = rng("gke", day)
    out = []
    for h in range(0, 24, 2):
        t = at(day, h, r.randint(0, 59), r.randint(0, 59))
        out.append((t, {
            "insertId": insert(r), "logName": "projects/shop-gke/logs/cloudaudit.googleapis.com%2Fdata_access",
            "protoPayload": {
                "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                "authenticationInfo": {"principalEmail": "system:serviceaccount:default:worker"},
                "authorizationInfo": [{"granted": True, "permission": "io.k8s.core.v1.configmaps.get",
                                       "resource": "core/v1/namespaces/default/configmaps/worker-config"}],
                "methodName": "io.k8s.core.v1.configmaps.get",
                "requestMetadata": {"callerIp": "10.8.0.14", "callerSuppliedUserAgent": "worker/2.0.1 (linux/amd64) kubernetes/$Format"},
                "resourceName": "core/v1/namespaces/default/configmaps/worker-config", "serviceName": "k8s.io", "status": {},
            },
            "resource": {"type": "k8s_cluster", "labels": {"cluster_name": "shop-gke", "location": "europe-west1",
                                                            "project_id": "shop-gke"}},
            "timestamp": iso(t, 9), "receiveTimestamp": iso(t + dt.timedelta(milliseconds=900), 9), "severity": "INFO",
        }))
    return out


def aks_day(day, k):
    """A third cluster on AKS: kube-audit diagnostic records in {"records":[…]} documents."""
    r = rng("aks", day)
    recs = []
    for h in range(0, 24, 3):
        t = at(day, h, r.randint(0, 59), r.randint(0, 59))
        _, stages = k.request(t, "system:serviceaccount:default:api", "get", "secrets", "default", "api-key",
                              ip="10.244.0.17", ua="api/3.2.0 (linux/amd64) kubernetes/$Format", stages=False)
        st, ev = stages[-1]
        recs.append((st, {
            "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read", "category": "kube-audit",
            "ResourceId": "/SUBSCRIPTIONS/0B1F6471-1BF0-4DDA-AEC3-111122223333/RESOURCEGROUPS/SHOP/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-SHOP",
            "resourceId": "/SUBSCRIPTIONS/0B1F6471-1BF0-4DDA-AEC3-111122223333/RESOURCEGROUPS/SHOP/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-SHOP",
            "time": iso(st, 7), "properties": {"log": dumps(ev), "stream": "stdout", "pod": "kube-apiserver-5d8f7c9b4d-abcde"},
        }))
    return recs


def k8s_attack(k):
    """A stolen `shop:web` token used from outside: secret sweep, exec, cluster-admin binding."""
    web = "system:serviceaccount:shop:web"
    ip = "198.51.100.23"
    ua = "kubectl/v1.30.1 (linux/amd64) kubernetes/9646673"
    a = Attack("stolen_service_account_token",
               "The shop/web service account token, taken from a compromised pod, is used with kubectl from an "
               "outside address: it checks its rights, lists every secret of the cluster, reads secrets namespace "
               "after namespace, execs into a payments pod and binds itself to cluster-admin.",
               ["k8s:" + web],
               ["k8s.secret_sweep", "k8s.privileged_binding", "secrets.enumeration", "identity.new_api",
                "identity.new_source", "identity.new_user_agent"])
    ev = []
    t = at(INCIDENT_DAY, 3, 12, 5)

    def req(dt_s, *args, **kw):
        audit, stages = k.request(t + dt.timedelta(seconds=dt_s), web, *args, ip=ip, ua=ua, **kw)
        ev.extend(stages)
        return audit, stages[-1][0]

    ids, times = [], []
    for x in (req(0, "create", "selfsubjectrulesreviews", group="authorization.k8s.io"),
              req(3, "get", uri="/version")):
        ids.append(x[0]); times.append(x[1])
    a.step("recon", "Checks what the token may do (kubectl auth can-i --list) and the server version.",
           ["identity.new_api"], ids, times)
    ids, times = [], []
    x = req(20, "list", "secrets")
    ids.append(x[0]); times.append(x[1])
    secrets = [("shop", "web-db"), ("payments", "stripe-key"), ("payments", "db"), ("auth", "jwt-signing"),
               ("db", "pg-credentials"), ("monitoring", "grafana-admin"), ("kube-system", "aws-credentials"),
               ("ci", "registry-token")]
    for i, (ns, name) in enumerate(secrets):
        x = req(40 + 9 * i, "get", "secrets", ns, name)
        ids.append(x[0]); times.append(x[1])
    a.step("secret_sweep", "Lists every secret of the cluster, then reads secrets in seven namespaces within two minutes.",
           ["k8s.secret_sweep", "secrets.enumeration", "identity.new_source", "identity.new_user_agent"], ids, times)
    x = req(300, "create", "pods", "payments", "api-6f7d9c8b5-qw3rt", sub="exec", status=101,
            uri="/api/v1/namespaces/payments/pods/api-6f7d9c8b5-qw3rt/exec?command=sh&command=-c&command=env&stdout=true")
    a.step("exec", "Runs `env` in a payments pod to read its mounted credentials.", ["k8s.privileged_binding"],
           [x[0]], [x[1]])
    obj = {"kind": "ClusterRoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1",
           "metadata": {"name": "web-ops"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                                         "name": "cluster-admin"},
           "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "shop"}]}
    x = req(420, "create", "clusterrolebindings", group="rbac.authorization.k8s.io", obj=obj, status=201,
            uri="/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")
    a.step("cluster_admin", "Binds itself to cluster-admin (persistence and full control).",
           ["k8s.privileged_binding", "identity.new_api"], [x[0]], [x[1]])
    return a, ev


def gen_kubernetes(root):
    w = Writer(root)
    k = K8s(rng("k8s", "ids"))
    gr = rng("gke", "ids")

    def insert(r):
        return "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))

    events = 0
    for day in range(BG_DAYS + 1):
        date = iso(at(day), 0)[:10]
        folder = "incident" if day == INCIDENT_DAY else "background"
        recs = k8s_day(day, k)
        if day == INCIDENT_DAY:
            attack, extra = k8s_attack(k)
            recs += extra
        recs.sort(key=lambda x: x[0])
        events += sum(1 for _, e in recs if e["stage"] == "ResponseComplete")
        plain = [e for _, e in recs]
        if day % 4 == 1:
            # EKS control-plane logs exported through CloudWatch Logs: the event in `message`.
            lines = [{"message": dumps(e), "logGroup": "/aws/eks/shop-eks/cluster",
                      "logStream": "kube-apiserver-audit-1f4e2a7c9d0b", "timestamp": ms_of(t)} for t, e in recs]
            w.lines(f"logs/{folder}/{date}-eks-cloudwatch.jsonl.gz", lines, True)
        elif day % 4 == 2:
            # A JSON array of events; one day left uncompressed.
            w.array(f"logs/{folder}/{date}-audit.json" + ("" if day == 2 else ".gz"), plain, day != 2)
        else:
            w.lines(f"logs/{folder}/{date}-audit.jsonl.gz", plain, True)
        gke = sorted(gke_day(day, lambda r: insert(gr)), key=lambda x: x[0])
        events += len(gke)
        w.array(f"logs/{folder}/{date}-gke.json.gz", [e for _, e in gke], True)
        aks = sorted(aks_day(day, k), key=lambda x: x[0])
        events += len(aks)
        w.document(f"logs/{folder}/{date}-aks.json.gz", "records", [e for _, e in aks], True)
    good = [dumps(e) for _, e in k8s_day(0, K8s(rng("k8s", "malformed"))) if e["stage"] == "ResponseComplete"][:60]
    malformed = malformed_cases(w, good, lambda e: e["auditID"])
    lab = labels("kubernetes", "Three clusters (raw audit lines, EKS CloudWatch export, GKE audit entries, AKS "
                 "diagnostic records), ten benign days, then a stolen service-account token on day 11.",
                 [attack], malformed, events)
    write_labels(w, lab)
    return w


# --------------------------------------------------------------------------- GCP

GCP_PROJECT = "shop-prod"
GCP_UA = {
    "grpc": "grpc-python/1.62.1 gl-python/3.11.8 grpc/1.62.1 gax/2.17.1 gapic/2.18.0,gzip(gfe)",
    "apiclient": "google-api-python-client/2.120.0 gdcl/2.120.0 gl-python/3.11.8,gzip(gfe)",
    "deploy": "google-cloud-sdk gcloud/463.0.0 command/gcloud.run.deploy invocation-id/0e3c1f0a environment/GitHub-Actions environment-version/None client-os/LINUX,gzip(gfe)",
    "console": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36,gzip(gfe)",
    "attacker": "google-cloud-sdk gcloud/470.0.0 command/gcloud.secrets.versions.access invocation-id/9a1b2c3d environment/None environment-version/None client-os/LINUX,gzip(gfe)",
}
GCP_KEY = "//iam.googleapis.com/projects/shop-prod/serviceAccounts/backup@shop-prod.iam.gserviceaccount.com/keys/7f3a9c1e2b4d6f8a0c2e4a6b8d0f1a3c5e7b9d1f"


class GCP:
    def __init__(self, stream):
        self.r = stream

    def entry(self, t, who, method, service, resource, ip, ua, log="activity", key=None, status=None, request=None,
              response=None, permission=None, location="global"):
        insert = "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(14))
        auth = {"principalEmail": who}
        if key:
            auth["serviceAccountKeyName"] = key
        payload = {
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog", "status": status or {},
            "authenticationInfo": auth,
            "requestMetadata": {"callerIp": ip, "callerSuppliedUserAgent": GCP_UA.get(ua, ua),
                                "requestAttributes": {"time": iso(t, 9), "auth": {}}, "destinationAttributes": {}},
            "serviceName": service, "methodName": method,
            "authorizationInfo": [{"resource": resource, "permission": permission or method.split(".")[-1],
                                   "granted": not status, "resourceAttributes": {}}],
            "resourceName": resource,
        }
        if request:
            payload["request"] = request
        if response:
            payload["response"] = response
        e = {"protoPayload": payload, "insertId": insert,
             "resource": {"type": "audited_resource", "labels": {"service": service, "method": method,
                                                                 "project_id": GCP_PROJECT, "location": location}},
             "timestamp": iso(t, 9), "severity": "ERROR" if status else ("NOTICE" if log == "activity" else "INFO"),
             "logName": f"projects/{GCP_PROJECT}/logs/cloudaudit.googleapis.com%2F{log}",
             "receiveTimestamp": iso(t + dt.timedelta(milliseconds=700), 9)}
        return insert, (t, e)


SM = "google.cloud.secretmanager.v1.SecretManagerService."


def gcp_day(day, g):
    r = rng("gcp", "day", day)
    out = []
    app = "app@shop-prod.iam.gserviceaccount.com"
    for h in range(24):
        for s in ("db-password", "stripe-key"):
            out.append(g.entry(at(day, h, r.randint(0, 59), r.randint(0, 59)), app, SM + "AccessSecretVersion",
                               "secretmanager.googleapis.com", f"projects/{GCP_PROJECT}/secrets/{s}/versions/latest",
                               f"10.128.0.{12 + h % 2}", "grpc", log="data_access",
                               permission="secretmanager.versions.access")[1])
        out.append(g.entry(at(day, h, r.randint(0, 59), r.randint(0, 59)), app, "storage.objects.get",
                           "storage.googleapis.com", "projects/_/buckets/shop-assets/objects/catalog.json",
                           f"10.128.0.{12 + h % 2}", "grpc", log="data_access", location="europe-west1")[1])
    backup = "backup@shop-prod.iam.gserviceaccount.com"
    t = at(day, 2, r.randint(0, 10))
    out.append(g.entry(t, backup, SM + "AccessSecretVersion", "secretmanager.googleapis.com",
                       f"projects/{GCP_PROJECT}/secrets/backup-encryption-key/versions/3", "198.51.100.10", "apiclient",
                       log="data_access", key=GCP_KEY, permission="secretmanager.versions.access")[1])
    for i in range(3):
        out.append(g.entry(t + dt.timedelta(seconds=30 + i * 40), backup, "storage.objects.create",
                           "storage.googleapis.com", f"projects/_/buckets/shop-backups/objects/pg/{iso(t, 0)[:10]}-{i}.dump",
                           "198.51.100.10", "apiclient", log="data_access", key=GCP_KEY, location="europe-west1")[1])
    deployer = "deployer@shop-prod.iam.gserviceaccount.com"
    for hour in (9, 16):
        t = at(day, hour, r.randint(0, 30))
        out.append(g.entry(t, deployer, "google.cloud.run.v1.Services.ReplaceService", "run.googleapis.com",
                           f"namespaces/{GCP_PROJECT}/services/shop-web", "140.82.112.4", "deploy",
                           request={"@type": "type.googleapis.com/google.cloud.run.v1.ReplaceServiceRequest"},
                           location="europe-west1")[1])
        out.append(g.entry(t + dt.timedelta(seconds=50), deployer, "google.iam.v1.IAMPolicy.GetIamPolicy",
                           "run.googleapis.com", f"namespaces/{GCP_PROJECT}/services/shop-web", "140.82.112.4", "deploy",
                           log="data_access")[1])
    alice = "alice@example.com"
    t = at(day, 10, r.randint(0, 50))
    out.append(g.entry(t, alice, "v1.compute.instances.list", "compute.googleapis.com",
                       f"projects/{GCP_PROJECT}/zones/europe-west1-b/instances", "192.0.2.10", "console",
                       log="data_access", location="europe-west1-b")[1])
    if day in (1, 5):
        out.append(g.entry(t + dt.timedelta(minutes=3), alice, "SetIamPolicy", "cloudresourcemanager.googleapis.com",
                           f"projects/{GCP_PROJECT}", "192.0.2.10", "console",
                           request={"@type": "type.googleapis.com/google.iam.v1.SetIamPolicyRequest",
                                    "policy": {"bindings": [{"role": "roles/viewer",
                                                             "members": ["user:bob@example.com"]}]}})[1])
    return out


def gcp_attack(g):
    backup = "backup@shop-prod.iam.gserviceaccount.com"
    ip = "203.0.113.66"
    a = Attack("leaked_service_account_key",
               "The backup service account's JSON key, leaked from an on-premises host, is used with gcloud from a "
               "new address: it lists the project's secrets, reads nine of them, and mints a key for the deployer "
               "service account to keep access.",
               ["gcp:" + backup],
               ["secrets.enumeration", "identity.new_source", "identity.new_api", "identity.new_user_agent"])
    t = at(INCIDENT_DAY, 4, 40, 11)
    out = []
    i, e = g.entry(t, backup, SM + "ListSecrets", "secretmanager.googleapis.com", f"projects/{GCP_PROJECT}", ip,
                   "attacker", log="data_access", key=GCP_KEY, permission="secretmanager.secrets.list")
    out.append(e)
    a.step("list", "Lists the project's secrets with the leaked key from a new address and a new client.",
           ["identity.new_source", "identity.new_user_agent", "identity.new_api"], [i], [e[0]])
    names = ["db-password", "stripe-key", "backup-encryption-key", "smtp-password", "github-app-key",
             "oauth-client-secret", "jwt-signing-key", "sentry-dsn", "bigquery-export-key"]
    ids, times = [], []
    for n, s in enumerate(names):
        i, e = g.entry(t + dt.timedelta(seconds=15 + 11 * n), backup, SM + "AccessSecretVersion",
                       "secretmanager.googleapis.com", f"projects/{GCP_PROJECT}/secrets/{s}/versions/latest", ip,
                       "attacker", log="data_access", key=GCP_KEY, permission="secretmanager.versions.access")
        out.append(e)
        ids.append(i)
        times.append(e[0])
    a.step("secret_reads", "Reads nine secrets in two minutes (its habit: one secret a day).",
           ["secrets.enumeration"], ids, times)
    deployer = "projects/-/serviceAccounts/deployer@shop-prod.iam.gserviceaccount.com"
    i, e = g.entry(t + dt.timedelta(minutes=6), backup, "google.iam.admin.v1.CreateServiceAccountKey",
                   "iam.googleapis.com", deployer, ip, "attacker", key=GCP_KEY, permission="iam.serviceAccountKeys.create",
                   request={"@type": "type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest",
                            "name": deployer, "private_key_type": 2},
                   response={"@type": "type.googleapis.com/google.iam.admin.v1.ServiceAccountKey",
                             "name": "projects/shop-prod/serviceAccounts/deployer@shop-prod.iam.gserviceaccount.com/keys/c0ffee1234567890"})
    out.append(e)
    a.step("persistence", "Creates a key for the deployer service account.", ["identity.new_api"], [i], [e[0]])
    return a, out


def gen_gcp(root):
    w = Writer(root)
    g = GCP(rng("gcp", "ids"))
    events = 0
    attack = None
    for day in range(BG_DAYS + 1):
        date = iso(at(day), 0)[:10]
        folder = "incident" if day == INCIDENT_DAY else "background"
        recs = gcp_day(day, g)
        if day == INCIDENT_DAY:
            attack, extra = gcp_attack(g)
            recs += extra
        recs.sort(key=lambda x: x[0])
        events += len(recs)
        plain = [e for _, e in recs]
        if day % 3 == 1:
            w.array(f"logs/{folder}/{date}-cloudaudit.json" + ("" if day == 1 else ".gz"), plain, day != 1)
        else:
            w.lines(f"logs/{folder}/{date}-cloudaudit.jsonl.gz", plain, True)
    good = [dumps(e) for _, e in gcp_day(0, GCP(rng("gcp", "malformed")))][:60]
    malformed = malformed_cases(w, good, lambda e: e["insertId"])
    lab = labels("gcp", "One project's Cloud Audit Logs (activity and data access; JSON lines and arrays, gzip and "
                 "plain), ten benign days, then a leaked service-account key on day 11.", [attack], malformed, events)
    write_labels(w, lab)
    return w


# --------------------------------------------------------------------------- Azure

SUB = "0b1f6471-1bf0-4dda-aec3-111122223333"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
RG = f"/SUBSCRIPTIONS/{SUB.upper()}/RESOURCEGROUPS/SHOP/PROVIDERS"
MI = {"oid": "6b6d44f0-b13a-46a0-bfde-161324d4c34d", "appid": "770797c4-e05a-43f9-bda2-1f1f379987ae",
      "mirid": f"/subscriptions/{SUB}/resourcegroups/shop/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-mi"}
SP = {"oid": "11112222-3333-4444-5555-666677778888", "appid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}
ALICE = {"oid": "a1a1a1a1-b2b2-c3c3-d4d4-e5e5e5e5e5e5", "upn": "alice@contoso.com"}


def claims(who):
    c = {"http://schemas.microsoft.com/identity/claims/objectidentifier": who["oid"],
         "http://schemas.microsoft.com/identity/claims/tenantid": TENANT, "aud": "https://management.core.windows.net/"}
    if "upn" in who:
        c["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = who["upn"]
        c["name"] = who["upn"].split("@")[0].title()
    else:
        c["appid"] = who["appid"]
        c["idtyp"] = "app"
        if "mirid" in who:
            c["xms_mirid"] = who["mirid"]
    return c


class Azure:
    def __init__(self, stream):
        self.r = stream

    def admin(self, t, who, op, resource, ip, result="Success", body=None, role=None):
        corr = uuid4(self.r)
        e = {"time": iso(t, 7), "resourceId": resource, "operationName": op, "category": "Administrative",
             "resultType": result, "resultSignature": "Succeeded.OK" if result == "Success" else "Started.",
             "durationMs": str(self.r.randint(40, 900)), "callerIpAddress": ip, "correlationId": corr,
             "identity": {"authorization": {"scope": resource, "action": op.lower()}, "claims": claims(who)},
             "level": "Information", "location": "global",
             "properties": {"statusCode": "OK" if result == "Success" else "Accepted",
                            "serviceRequestId": uuid4(self.r), "eventCategory": "Administrative",
                            "entity": resource, "message": op, "hierarchy": f"{TENANT}/{SUB}"}}
        if body:
            e["properties"]["requestbody"] = dumps(body)
        if role:
            e["identity"]["authorization"]["evidence"] = {"role": role, "principalType": "ServicePrincipal",
                                                          "principalId": who["oid"]}
        return azure_id(e), (t, e)

    def secret_get(self, t, who, vault, name, ip, ua):
        corr = uuid4(self.r)
        resource = f"{RG}/MICROSOFT.KEYVAULT/VAULTS/{vault.upper()}"
        e = {"time": iso(t, 7), "category": "AuditEvent", "operationName": "SecretGet", "resultType": "Success",
             "correlationId": corr, "callerIpAddress": ip, "resourceId": resource, "operationVersion": "7.4",
             "resultSignature": "OK", "resultDescription": "", "durationMs": str(self.r.randint(5, 60)),
             "identity": {"claim": {"http://schemas.microsoft.com/identity/claims/objectidentifier": who["oid"],
                                    "appid": who["appid"], "xms_mirid": who.get("mirid", "")}},
             "properties": {"id": f"https://{vault}.vault.azure.net/secrets/{name}/{hashlib.md5(name.encode()).hexdigest()}",
                            "clientInfo": ua, "requestUri": f"https://{vault}.vault.azure.net/secrets/{name}/?api-version=7.4",
                            "httpStatusCode": 200, "isAccessPolicyMatch": True, "tlsVersion": "TLS1_2"},
             "location": "westeurope"}
        return azure_id(e), (t, e)


KV_UA = "azsdk-python-keyvault-secrets/4.8.0 Python/3.11.8 (Linux-5.15.0-1057-azure-x86_64-with-glibc2.36)"


def azure_day(day, z, rest=False):
    r = rng("azure", "day", day)
    out = []
    for h in range(24):
        for s in ("db-password", "stripe-key"):
            out.append(z.secret_get(at(day, h, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999)), MI, "kv-shop", s,
                                    "20.42.7.10", KV_UA)[1])
    for hour in (9, 16):
        t = at(day, hour, r.randint(0, 20), 0, r.randint(0, 999))
        dep = f"{RG}/MICROSOFT.RESOURCES/DEPLOYMENTS/SHOP-WEB-{day:02d}{hour}"
        out.append(z.admin(t, SP, "MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE", dep, "40.74.28.9", result="Start")[1])
        out.append(z.admin(t + dt.timedelta(seconds=40), SP, "MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE", dep, "40.74.28.9")[1])
        out.append(z.admin(t + dt.timedelta(seconds=70), SP, "MICROSOFT.WEB/SITES/RESTART/ACTION",
                           f"{RG}/MICROSOFT.WEB/SITES/SHOP-WEB", "40.74.28.9")[1])
    t = at(day, 11, r.randint(0, 40), 0, r.randint(0, 999))
    out.append(z.admin(t, ALICE, "MICROSOFT.COMPUTE/VIRTUALMACHINES/RESTART/ACTION",
                       f"{RG}/MICROSOFT.COMPUTE/VIRTUALMACHINES/JUMPBOX", "192.0.2.10")[1])
    if day in (0, 4):
        out.append(z.admin(t + dt.timedelta(minutes=2), ALICE, "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION",
                           f"{RG}/MICROSOFT.STORAGE/STORAGEACCOUNTS/SHOPASSETS", "192.0.2.10")[1])
    return out


def azure_rest(e):
    """The same Activity Log record as `az monitor activity-log list` prints it (REST shape)."""
    c = e["identity"]["claims"]
    return {
        "authorization": {"action": e["operationName"].lower(), "scope": e["resourceId"]},
        "caller": c.get("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", c.get("appid")),
        "category": {"value": "Administrative", "localizedValue": "Administrative"}, "claims": c,
        "correlationId": e["correlationId"], "eventDataId": e["correlationId"][::-1],
        "eventTimestamp": e["time"], "level": "Informational",
        "operationName": {"value": e["operationName"], "localizedValue": e["operationName"]},
        "resourceId": e["resourceId"],
        "status": {"value": "Succeeded" if e["resultType"] == "Success" else "Started",
                   "localizedValue": "Succeeded" if e["resultType"] == "Success" else "Started"},
        "subStatus": {"value": "", "localizedValue": ""}, "subscriptionId": SUB, "tenantId": TENANT,
        "httpRequest": {"clientIpAddress": e["callerIpAddress"], "method": "POST"},
        "properties": e.get("properties", {}),
    }


def azure_attack(z):
    ip = "198.51.100.99"
    a = Attack("stolen_managed_identity_token",
               "The web app's managed identity token, taken from the instance metadata service of a compromised app, "
               "is used from outside: it lists the keys of three storage accounts, reads ten Key Vault secrets and "
               "grants itself Owner on the subscription.",
               ["azure:" + MI["oid"]],
               ["secrets.enumeration", "identity.new_api", "identity.new_source", "identity.new_user_agent"])
    t = at(INCIDENT_DAY, 5, 5, 9, 250)
    out = []
    ids, times = [], []
    for n, acct in enumerate(("SHOPASSETS", "SHOPBACKUPS", "SHOPLOGS")):
        i, e = z.admin(t + dt.timedelta(seconds=8 * n), MI, "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION",
                       f"{RG}/MICROSOFT.STORAGE/STORAGEACCOUNTS/{acct}", ip)
        out.append(e); ids.append(i); times.append(e[0])
    a.step("storage_keys", "Lists the access keys of three storage accounts, from a new address.",
           ["identity.new_api", "identity.new_source", "secrets.enumeration"], ids, times)
    ids, times = [], []
    names = ["db-password", "stripe-key", "smtp-password", "sendgrid-key", "jwt-signing", "github-token",
             "backup-passphrase", "redis-password", "oauth-secret", "pagerduty-key"]
    for n, s in enumerate(names):
        i, e = z.secret_get(t + dt.timedelta(seconds=60 + 7 * n), MI, "kv-shop", s, ip, "python-requests/2.31.0")
        out.append(e); ids.append(i); times.append(e[0])
    a.step("key_vault", "Reads ten Key Vault secrets in a minute with a new client (its habit: the same two every hour).",
           ["secrets.enumeration", "identity.new_user_agent"], ids, times)
    scope = f"/SUBSCRIPTIONS/{SUB.upper()}/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/4F2A9C3E-0000-4000-8000-00000000BEEF"
    body = {"Id": "4f2a9c3e-0000-4000-8000-00000000beef",
            "Properties": {"PrincipalId": MI["oid"], "PrincipalType": "ServicePrincipal",
                           "RoleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
                           "Scope": f"/subscriptions/{SUB}"}}
    _, s = z.admin(t + dt.timedelta(minutes=4), MI, "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE", scope, ip,
                   result="Start", body=body, role="Owner")
    out.append(s)
    i, e = z.admin(t + dt.timedelta(minutes=4, seconds=2), MI, "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE",
                   scope, ip, body=body, role="Owner")
    out.append(e)
    a.step("owner", "Grants itself Owner on the subscription (role assignment write).", ["identity.new_api"],
           [i], [e[0]])
    return a, out


def gen_azure(root):
    w = Writer(root)
    z = Azure(rng("azure", "ids"))
    events = 0
    attack = None
    for day in range(BG_DAYS + 1):
        date = iso(at(day), 0)[:10]
        folder = "incident" if day == INCIDENT_DAY else "background"
        recs = azure_day(day, z)
        if day == INCIDENT_DAY:
            attack, extra = azure_attack(z)
            recs += extra
        recs.sort(key=lambda x: x[0])
        events += sum(1 for _, e in recs if e.get("resultType") != "Start")
        if day == 3:
            # One day exported with `az monitor activity-log list` (REST shape, a JSON array), Key Vault apart.
            admin = [azure_rest(e) for _, e in recs if e["category"] == "Administrative"]
            kv = [e for _, e in recs if e["category"] != "Administrative"]
            w.array(f"logs/{folder}/{date}-activity-rest.json", admin, False)
            w.document(f"logs/{folder}/{date}-keyvault.json.gz", "records", kv, True)
        else:
            w.document(f"logs/{folder}/{date}-diagnostics.json.gz", "records", [e for _, e in recs], True)
    good = [dumps(e) for _, e in azure_day(0, Azure(rng("azure", "malformed")))]
    good = [l for l in good if '"Start"' not in l][:60]
    malformed = malformed_cases(w, good, azure_id)
    lab = labels("azure", "One subscription's Activity Log and Key Vault audit records (diagnostic-settings "
                 "{\"records\":[…]} exports and one REST-shape day), ten benign days, then a stolen managed-identity "
                 "token on day 11.", [attack], malformed, events)
    write_labels(w, lab)
    return w


def azure_id(e):
    """The event id the decoder gives a diagnostic record without `eventDataId` (SourceSupport.syntheticId)."""
    t = dt.datetime.strptime(e["time"][:23], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=dt.timezone.utc)
    entra = e.get("properties", {}).get("id", "")[:128]
    return fnv_parts("az-", [e["correlationId"], str(ms_of(t)), e["operationName"], e["resultType"],
                             e["resourceId"].lower(), e["callerIpAddress"], entra])


# --------------------------------------------------------------------------- AI-workflow servers

WF_SCHEMA = "trailhound.workflow/v1"


class Workflow:
    def __init__(self, stream):
        self.r = stream

    def record(self, t, server="lf-prod", **f):
        rid = f.pop("request_id", None) or "req-" + uuid4(self.r)[:13]
        eid = f"{rid}.{self.r.getrandbits(32):08x}"
        rec = {"schema": WF_SCHEMA, "timestamp": iso(t, 3), "server": server, "event_id": eid, "request_id": rid}
        rec.update(f)
        return eid, rid, (t, rec)



def support_bot_run(w, t, r, common):
    """One run of the help-desk flow: the request, then its retrieval and model tool calls."""
    _, rid, e = w.record(t, method="POST", path="/api/v1/run/support-bot", status=200, action="run_flow",
                         duration_ms=r.randint(800, 4000), **common)
    return [e,
            w.record(t + dt.timedelta(milliseconds=300), request_id=rid, action="tool_call",
                     tool_name="vector-search", tool_kind="retrieval", target_host="qdrant.internal",
                     path="/api/v1/run/support-bot", status=200, **common)[2],
            w.record(t + dt.timedelta(milliseconds=900), request_id=rid, action="tool_call",
                     tool_name="openai-chat", tool_kind="model", target_host="api.openai.com",
                     path="/api/v1/run/support-bot", status=200, **common)[2]]

def wf_day(day, w):
    r = rng("workflow", "day", day)
    out = []
    for h in range(24):
        out.append(w.record(at(day, h, 0, r.randint(0, 59)), method="GET", path="/health", status=200,
                            source_ip="10.1.0.2", user_agent="kube-probe/1.29", authenticated=False,
                            duration_ms=r.randint(1, 4))[2])
        for run in range(2):
            t = at(day, h, r.randint(0, 29) + 30 * run, r.randint(0, 59))
            common = dict(source_ip="10.1.4.20", user_agent="python-httpx/0.27.0", authenticated=True,
                          principal="svc-helpdesk", flow_id="support-bot")
            out += support_bot_run(w, t, r, common)
        if h % 3 == 0:
            t = at(day, h, 40 + r.randint(0, 15))
            common = dict(source_ip="10.1.4.21", user_agent="python-httpx/0.27.0", authenticated=True,
                          principal="svc-reports", flow_id="summarizer")
            _, rid, e = w.record(t, method="POST", path="/api/v1/run/summarizer", status=200, action="run_flow", **common)
            out.append(e)
            out.append(w.record(t + dt.timedelta(milliseconds=200), request_id=rid, action="tool_call",
                                tool_name="read-report", tool_kind="file", path="/api/v1/run/summarizer", status=200,
                                tool_input={"path": "/data/reports/daily.csv"}, **common)[2])
            out.append(w.record(t + dt.timedelta(milliseconds=700), request_id=rid, action="tool_call",
                                tool_name="openai-chat", tool_kind="model", target_host="api.openai.com",
                                path="/api/v1/run/summarizer", status=200, **common)[2])
    t = at(day, 10, r.randint(0, 30))
    alice = dict(source_ip="192.0.2.10", authenticated=True, principal="alice@example.com",
                 user_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36")
    out.append(w.record(t, method="GET", path="/api/v1/flows/", status=200, **alice)[2])
    out.append(w.record(t + dt.timedelta(minutes=2), method="POST", path="/api/v1/validate/code", status=200,
                        action="validate_code", **alice)[2])
    out.append(w.record(t + dt.timedelta(minutes=3), method="PATCH", path="/api/v1/flows/summarizer", status=200,
                        action="update_flow", flow_id="summarizer", **alice)[2])
    return out


def loguru(t, message, name="uvicorn.access", function="send", module="httptools_impl"):
    ts = round(ms_of(t) / 1000, 6)
    return {"text": f"{t.strftime('%Y-%m-%d %H:%M:%S')} - INFO - {module} - {message}\n",
            "record": {"elapsed": {"repr": "1 day, 2:03:04.000000", "seconds": 93784.0}, "exception": None,
                       "extra": {}, "file": {"name": f"{module}.py", "path": f"/app/.venv/lib/python3.12/site-packages/uvicorn/protocols/http/{module}.py"},
                       "function": function, "level": {"icon": "\u2139\ufe0f", "name": "INFO", "no": 20}, "line": 478,
                       "message": message, "module": module, "name": name,
                       "process": {"id": 1, "name": "MainProcess"}, "thread": {"id": 140245, "name": "MainThread"},
                       "time": {"repr": t.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00", "timestamp": ts}}}


LANGFLOW_ACTIONS = [("/api/v1/validate/code", "validate_code"), ("/api/v1/run/", "run_flow"), ("/api/v1/login", "login")]


def edge_id(rec):
    """The id the decoder gives a Langflow access line read through formats/langflow-container.yaml."""
    msg = rec["record"]["message"]
    path = msg.split('"')[1].split(" ")[1]
    status = msg.rsplit(" ", 1)[1]
    action = next((a for p, a in LANGFLOW_ACTIONS if path.startswith(p)), "")
    return fnv_parts("wf-", [repr(rec["record"]["time"]["timestamp"]), "", action, "", path, status, "", ""])


def edge_day(day):
    r = rng("workflow", "edge", day)
    out = []
    for h in range(24):
        t = at(day, h, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
        out.append((t, loguru(t, f"10.1.5.3:{r.randint(30000, 60000)} - \"GET /api/v1/flows/ HTTP/1.1\" 200")))
        if h % 2 == 0:
            t = at(day, h, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
            out.append((t, loguru(t, f"10.1.5.3:{r.randint(30000, 60000)} - \"POST /api/v1/run/faq-bot?stream=false HTTP/1.1\" 200")))
    t = at(day, 8, r.randint(0, 59), 0, r.randint(0, 999))
    out.append((t, loguru(t, f"10.1.5.3:{r.randint(30000, 60000)} - \"POST /api/v1/login HTTP/1.1\" 200")))
    t = at(day, 8, 0, 1, r.randint(0, 999))
    out.append((t, loguru(t, "Loading components from /app/components", name="langflow.interface.components",
                          function="load", module="components")))
    return out


def wf_attack(w):
    ip = "203.0.113.200"
    ua = "python-requests/2.31.0"
    a = Attack("langflow_rce",
               "An unauthenticated caller exploits Langflow's code validation endpoint (CVE-2025-3248), then drives "
               "the support-bot flow into running a shell tool and fetching the instance metadata endpoint.",
               ["workflow:lf-prod/anonymous"],
               ["workflow.unauthenticated_execution", "workflow.new_tool_kind", "workflow.metadata_access"])
    t = at(INCIDENT_DAY, 6, 30, 4)
    out = []
    common = dict(source_ip=ip, user_agent=ua, authenticated=False)
    eid, _, e = w.record(t, method="POST", path="/api/v1/validate/code", status=200, action="validate_code",
                         tool_input={"code": "import os\ndef f(x=exec(\"import subprocess;subprocess.run(['id'])\")):\n    pass"},
                         **common)
    out.append(e)
    a.step("validate_code", "Unauthenticated POST /api/v1/validate/code with a payload that runs code.",
           ["workflow.unauthenticated_execution"], [eid], [e[0]])
    t2 = t + dt.timedelta(minutes=3)
    flow = dict(flow_id="support-bot", path="/api/v1/run/support-bot", **common)
    eid1, rid, e1 = w.record(t2, method="POST", status=200, action="run_flow", **flow)
    eid2, _, e2 = w.record(t2 + dt.timedelta(milliseconds=400), request_id=rid, status=200, action="tool_call",
                           tool_name="run_command", tool_kind="shell",
                           tool_input={"command": "id; cat /proc/self/environ"}, **flow)
    out += [e1, e2]
    a.step("shell_tool", "Runs the support-bot flow without authentication and makes it call a shell tool.",
           ["workflow.unauthenticated_execution", "workflow.new_tool_kind"], [eid1, eid2], [e1[0], e2[0]])
    eid3, _, e3 = w.record(t2 + dt.timedelta(seconds=40), request_id=rid, status=200, action="tool_call",
                           tool_name="fetch_url", tool_kind="network", target_host="169.254.169.254",
                           tool_input={"url": "http://169.254.169.254/latest/meta-data/iam/security-credentials/lf-prod-role"},
                           **flow)
    out.append(e3)
    a.step("metadata", "Makes the flow fetch the instance metadata credentials endpoint.",
           ["workflow.metadata_access", "workflow.new_tool_kind"], [eid3], [e3[0]])
    b = Attack("langflow_edge_probe",
               "The same address probes the edge Langflow server (access lines in loguru JSON, read through the "
               "langflow-container mapping, which does not say whether a request was authenticated).",
               ["workflow:langflow/anonymous"], ["workflow.unauthenticated_execution"])
    te = at(INCIDENT_DAY, 6, 10, 37, 412)
    rec = loguru(te, f"{ip}:40112 - \"POST /api/v1/validate/code HTTP/1.1\" 200")
    b.step("validate_code", "POST /api/v1/validate/code on the edge server.", ["workflow.unauthenticated_execution"],
           [edge_id(rec)], [te])
    return [a, b], out, [(te, rec)]


def gen_workflow(root):
    w = Writer(root)
    wf = Workflow(rng("workflow", "ids"))
    events = 0
    attacks = []
    for day in range(BG_DAYS + 1):
        date = iso(at(day), 0)[:10]
        folder = "incident" if day == INCIDENT_DAY else "background"
        recs = wf_day(day, wf)
        edge = edge_day(day)
        if day == INCIDENT_DAY:
            attacks, extra, edge_extra = wf_attack(wf)
            recs += extra
            edge += edge_extra
        recs.sort(key=lambda x: x[0])
        edge.sort(key=lambda x: x[0])
        events += len(recs) + sum(1 for _, e in edge if e["record"]["name"] == "uvicorn.access")
        w.lines(f"logs/{folder}/{date}-lf-prod.jsonl" + (".gz" if day else ""), [e for _, e in recs], day > 0)
        w.lines(f"logs/{folder}/{date}-lf-edge-loguru.jsonl.gz", [e for _, e in edge], True)
    good = [dumps(e) for _, e in wf_day(0, Workflow(rng("workflow", "malformed")))][:60]
    malformed = malformed_cases(w, good, lambda e: e["event_id"])
    lab = labels("workflow", "Two AI-workflow servers: lf-prod logging trailhound.workflow/v1 records, lf-edge "
                 "(Langflow, LANGFLOW_LOG_ENV=container) read through formats/langflow-container.yaml; ten benign "
                 "days, then CVE-2025-3248-style exploitation on day 11.", attacks, malformed, events)
    write_labels(w, lab)
    return w


# --------------------------------------------------------------------------- CLI

GENERATORS = {"kubernetes": gen_kubernetes, "gcp": gen_gcp, "azure": gen_azure, "workflow": gen_workflow}


def generate(out):
    for name, gen in GENERATORS.items():
        root = os.path.join(out, name)
        if os.path.isdir(root):
            for sub in ("logs", "malformed"):
                shutil.rmtree(os.path.join(root, sub), ignore_errors=True)
        gen(root)


def check(out):
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp)
        bad = [os.path.join(name, k) for name in GENERATORS
               for k in tree_diff(os.path.join(tmp, name), os.path.join(out, name))]
        for b in bad:
            print("differs:", b)
        return 1 if bad else 0


BENCH_WEIGHT = {"kubernetes": 1, "gcp": 6, "azure": 8, "workflow": 6}


def bench(out, scale):
    """Bigger corpora for Benchmarks/formats.sh: copies of the eleven days with other seeds (unique ids), about
    `scale` × 6 MB of decompressed input per format (copies weighted so that formats weigh alike)."""
    global SEED
    for name, gen in GENERATORS.items():
        for copy in range(scale * BENCH_WEIGHT[name]):
            SEED = 20260301 + copy
            root = os.path.join(out, name, f"copy-{copy:03d}")
            shutil.rmtree(root, ignore_errors=True)
            gen(root)
            shutil.rmtree(os.path.join(root, "malformed"), ignore_errors=True)
            os.remove(os.path.join(root, "labels.json"))
    SEED = 20260301


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpora", help="write corpora/{kubernetes,gcp,azure,workflow}")
    c.add_argument("out", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "corpora"))
    c.add_argument("--check", action="store_true", help="compare a fresh generation with the files in OUT")
    b = sub.add_parser("bench", help="bigger inputs for Benchmarks/formats.sh")
    b.add_argument("out")
    b.add_argument("--scale", type=int, default=10)
    a = p.parse_args()
    if a.cmd == "corpora":
        if a.check:
            sys.exit(check(a.out))
        generate(a.out)
    else:
        bench(a.out, a.scale)


if __name__ == "__main__":
    main()
