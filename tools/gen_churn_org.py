#!/usr/bin/env python3
"""A churn-heavy benign organisation for the labelled evaluation (issue 10), all five sources,
generated deterministically with flat memory (CloudTrail hour by hour, the other sources day by day).

    python3 tools/gen_churn_org.py OUT [--events 1000000] [--days 14] [--seed N]

OUT/logs/AWSLogs/...          CloudTrail in the S3 delivery layout (gzip, 5-minute files), account 482913376051
OUT/logs/kubernetes/DAY-*.gz  Kubernetes audit (JSON lines)
OUT/logs/gcp/DAY-*.gz         GCP Cloud Audit Logs (JSON lines)
OUT/logs/azure/DAY-*.gz       Azure Activity / Key Vault diagnostics ({"records":[...]})
OUT/logs/workflow/DAY-*.gz    AI-workflow server logs (trailhound.workflow/v1 lines, Langflow loguru lines)
OUT/labels.json            attacks (identity keys, event ids, expected detectors), benign drift, churn classes

Benign churn, by design (each is a `churn_classes` entry in labels.json with its identity keys):
  lambda_cold_starts    Lambda functions outside a VPC: a new AWS public address (any /16 of the region's
                        ranges) and a new session at nearly every cold start
  hosted_ci_runners     GitHub-hosted Actions runners: a new Azure address for every job (OIDC web identity)
  asg_public_instances  an Auto Scaling group with public addresses: instances replaced all day (new instance
                        id, new session, new address)
  nat_pool              ECS tasks behind a pool of four NAT gateway addresses (different /16s), rotating
  k8s_pod_rollouts      Kubernetes service accounts whose pods get new pod IPs at every rollout / HPA scale-out
  gcp_mig_scale_out     a GCP managed instance group scaling out in its subnet (new internal address per VM)
  azure_vmss_scale_out  an Azure scale set scaling out in its subnet (new address per instance), and App
                        Service's pool of outbound addresses
  workflow_pod_churn    AI-workflow callers running in pods (new source address per rollout)
Ordinary drift (benign_changes): the CloudTrail `benign_drift` set (SDK bumps, a NAT address move, a deploy adding
an API, a new engineer, the inventory scanner, occasional AccessDenied) plus, in the other sources, SDK bumps, a
deploy adding an API and a new engineer.

Attacks woven in (the existing attack functions): CloudTrail ai_workflow_compromise, public_app_pivot,
leaked_user_key, ci_low_and_slow, logging_disabled; Kubernetes stolen_service_account_token; GCP
leaked_service_account_key; Azure stolen_managed_identity_token; workflow langflow_rce / langflow_edge_probe.
Learning: 7 days; attacks from day 8 on.

Python 3 standard library only; the same options give byte-identical output.
"""

import argparse
import datetime as dt
import gzip
import ipaddress
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_sources as gs  # noqa: E402
from ctgen.attacks import ATTACKS  # noqa: E402
from ctgen.behaviour import Behaviour, Net, Pipeline, Script, Step, Workload  # noqa: E402
from ctgen.clients import Client  # noqa: E402
from ctgen.core import DAY, HOUR, MIN, SEC, hexid, hour_of_day, iso, poisson, rng  # noqa: E402
from ctgen.identity import WebIdentitySession  # noqa: E402
from ctgen.population import AWS_BLOCKS, aws_prefix, hosts, standard_org  # noqa: E402
from ctgen.scenarios import BenignChange, benign_drift, labels, service_events, write_json  # noqa: E402
from ctgen.world import World  # noqa: E402

SEED = 20251014
START = "2025-06-02"  # a Monday
PROD = "482913376051"
REGIONS = ["us-east-1", "eu-west-1"]
LEARNING_DAYS = 7
# Share of the event budget per source.
SHARE = {"cloudtrail": 0.68, "kubernetes": 0.17, "gcp": 0.06, "azure": 0.06, "workflow": 0.03}
# GitHub-hosted runners run in Azure: their addresses come from Azure's public ranges.
AZURE_BLOCKS = [(4, 148, 255), (13, 64, 107), (20, 1, 255), (40, 64, 127), (52, 224, 255), (104, 40, 47),
                (172, 200, 215)]
# When the CloudTrail attacks happen (day, hour, minute), all after the 7 learning days.
CT_ATTACKS = {"leaked_user_key": (8, 1, 13), "ai_workflow_compromise": (9, 14, 22), "public_app_pivot": (10, 10, 41),
              "ci_low_and_slow": (11, 0, 17), "logging_disabled": (12, 3, 10)}
SRC_ATTACK_DAY = {"kubernetes": 9, "gcp": 10, "azure": 11, "workflow": 12}
BUSINESS_MEAN = 0.78  # mean of the business profile, weekdays


# GitHub-hosted runners for public repositories run in Azure's US regions; their addresses are drawn from those
# regions' published ranges (the snapshot in detectors/networks/), as real runner addresses are.
RUNNER_REGIONS = {"eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northcentralus", "southcentralus"}
_RUNNER_PREFIXES = []


def runner_prefixes():
    """IPv4 prefixes (/16 to /26) of the runner regions, sorted; AZURE_BLOCKS when the snapshot is absent."""
    if not _RUNNER_PREFIXES:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "detectors", "networks",
                            "cloud-ranges.tsv.gz")
        if os.path.exists(path):
            for line in gzip.open(path, "rt"):
                if line.startswith("#") or ":" in line.split("\t")[0]:
                    continue
                cidr, cls = line.rstrip("\n").split("\t")
                provider, _, region = cls.partition(" ")
                net = ipaddress.ip_network(cidr)
                if provider == "azure" and region in RUNNER_REGIONS and 16 <= net.prefixlen <= 26:
                    _RUNNER_PREFIXES.append(net)
        _RUNNER_PREFIXES.append(None)  # loaded (a lone None: no snapshot, use AZURE_BLOCKS)
    return [p for p in _RUNNER_PREFIXES if p is not None]


def azure_ip(r):
    prefixes = runner_prefixes()
    if prefixes:
        net = r.choice(prefixes)
        return str(net.network_address + r.randint(2, net.num_addresses - 3))
    a, lo, hi = r.choice(AZURE_BLOCKS)
    return "%d.%d.%d.%d" % (a, r.randint(lo, hi), r.randrange(256), r.randint(2, 253))


def aws_ip(r, region):
    return "%s.%d" % (aws_prefix(r, region), r.randint(2, 253))


def s(api, args=None, **kw):
    return Step(api, args, **kw)


# --------------------------------------------------------------------------- CloudTrail churn

class LambdaColdStarts(Behaviour):
    """A Lambda function outside a VPC. Each execution environment (cold start) gets credentials of its own (a new
    session, logged as lambda.amazonaws.com's AssumeRole) and egresses from a fresh AWS public address; warm
    environments live 5-40 minutes and are reused."""

    def __init__(self, world, principal, fn, client, region, scripts, rate, profile="business"):
        super().__init__(world, principal, client, Net(["0.0.0.0"]), region)
        self.fn, self.scripts, self.rate, self.profile = fn, scripts, rate, profile
        self.warm = []  # [expires, ip, session]
        self.cold = 0

    def hour(self, h0):
        r, out = self.r, []
        n = poisson(r, self.rate * self.rate_factor(self.profile, h0, weekend=0.8))
        for t in sorted(h0 + r.randrange(HOUR) for _ in range(n)):
            self.warm = [w for w in self.warm if w[0] > t]
            if not self.warm or r.random() < 0.04:  # scale-out under concurrency
                self.cold += 1
                sess = self.p.session(self.fn, self.cold, t)
                env = [t + r.randint(5, 40) * MIN, aws_ip(r, self.region), sess]
                self.warm.append(env)
                out.append(Workload.service_assume(self, t - r.randint(150, 900), sess))
            else:
                env = self.warm[r.randrange(len(self.warm))]
            calls, _ = self.run_steps(t, env[2], self.pick_script(self.scripts, t).steps, ip=env[1], gap=(20, 400))
            out.extend(calls)
        return out


LambdaColdStarts.assumer = "lambda.amazonaws.com"
LambdaColdStarts.kind = "lambda"


class HostedRunners(Pipeline):
    """GitHub-hosted Actions runners: every job runs on a fresh VM in Azure with a new public address."""

    def run(self, t):
        self.net = Net([azure_ip(self.r)])
        return super().run(t)


class ScalingGroup(Behaviour):
    assumer, kind = "ec2.amazonaws.com", "instance"

    """An Auto Scaling group with public addresses: capacity follows the day, spot instances are reclaimed, each new
    instance brings a new id, an ec2.amazonaws.com AssumeRole for its instance-profile session and a new address."""

    def __init__(self, world, principal, client, region, scripts, per_instance_rate, low=3, high=12):
        super().__init__(world, principal, client, Net(["0.0.0.0"]), region)
        self.scripts, self.per_rate, self.low, self.high = scripts, per_instance_rate, low, high
        self.live = []  # [instance id, ip, launched, dies]
        self.ssm = Client("ssm-agent", 290)

    def launch(self, t):
        r = self.r
        iid = "i-0" + hexid(r, 16)
        inst = [iid, aws_ip(r, self.region), t, t + r.randint(4, 40) * HOUR]
        self.live.append(inst)
        sess = self.p.periodic_session(iid, t, 6 * HOUR, t % (6 * HOUR), ec2=True)
        return [Workload.service_assume(self, t + r.randint(20, 90) * SEC, sess)]

    def hour(self, h0):
        r, out = self.r, []
        want = round(self.low + (self.high - self.low) * self.rate_factor("business", h0, weekend=0.6) / 1.3)
        self.live = [i for i in self.live if i[3] > h0]  # spot reclaimed / health-check replaced
        while len(self.live) > want:
            self.live.pop(0)  # scale-in terminates the oldest
        while len(self.live) < want:
            out.extend(self.launch(h0 + r.randrange(10 * MIN)))
        for iid, ip, launched, _ in self.live:
            sess = self.p.periodic_session(iid, max(h0, launched) + 100 * SEC, 6 * HOUR, launched % (6 * HOUR), ec2=True)
            for _ in range(poisson(r, self.per_rate)):
                t = max(h0, launched + 2 * MIN) + r.randrange(50 * MIN)
                calls, _ = self.run_steps(t, sess, self.pick_script(self.scripts, t).steps, ip=ip, gap=(30, 900))
                out.extend(calls)
            t = max(h0, launched + MIN) + r.randrange(55 * MIN)
            out.append(self.call(t, sess, "UpdateInstanceInformation", {"instance": iid, "private_ip": "10.40.%d.%d" % (
                int(iid[-4:-2], 16) % 16, int(iid[-2:], 16) % 250 + 4)}, ip=ip, client=self.ssm))
        return out


def churn_cloudtrail(world, org, per_hour):
    """The CloudTrail churn classes; per_hour: mean churn events per hour to aim at. Returns churn_classes entries."""
    res, home = org.res, REGIONS[0]
    r = rng(world.seed, "churn", "cloudtrail")
    classes = []

    def role(name, path=""):
        p = world.principal(PROD, "role", name, path)
        org.roles[name] = p
        return p

    # Lambda functions outside a VPC (~45 % of churn events; ~3 calls per invocation).
    lam_share, keys = [("image-resizer", 0.4), ("webhook-dispatcher", 0.3), ("thumbnail-indexer", 0.2),
                       ("slack-notifier", 0.1)], []
    scripts = {
        "image-resizer": [Script(1, [s("GetObject", lambda q: {"bucket": "uploads", "key": q.choice(res.object_keys["uploads"])}),
                                     s("PutObject", lambda q: {"bucket": "assets", "key": q.choice(res.object_keys["assets"])}),
                                     s("GenerateDataKey", {"key": res.kms["s3"]})])],
        "webhook-dispatcher": [Script(3, [s("GetParameter", {"name": res.parameters[3], "decrypt": False}),
                                          s("Decrypt", {"key": res.kms["app"], "context": {"service": "webhooks"}})]),
                               Script(1, [s("GetSecretValue", {"secret": "prod/billing/stripe-api-key"})])],
        "thumbnail-indexer": [Script(1, [s("GetObject", lambda q: {"bucket": "assets", "key": q.choice(res.object_keys["assets"])}),
                                         s("PutObject", lambda q: {"bucket": "ml", "key": q.choice(res.object_keys["ml"])}),
                                         s("InvokeModel", {"model": "anthropic.claude-3-haiku-20240307-v1:0"})])],
        "slack-notifier": [Script(1, [s("GetParameter", {"name": res.parameters[4], "decrypt": True})])],
    }
    for fn, share in lam_share:
        p = role(fn + "-fn")
        keys.append(p.key)
        region = home if fn != "thumbnail-indexer" else REGIONS[1]
        world.add(LambdaColdStarts(world, p, fn, Client("boto3-lambda", 42), region, scripts[fn],
                                   rate=per_hour * 0.45 * share / 2.6 / BUSINESS_MEAN))
    classes.append({"name": "lambda_cold_starts", "source": "cloudtrail", "identity_keys": keys,
                    "description": "Lambda functions outside a VPC: new AWS public address (any /16 of the region's "
                                   "ranges) and new session at nearly every cold start; warm environments live 5-40 min"})

    # GitHub-hosted runners (~15 %; ~9 calls per job).
    p = role("gha-build")
    build = [s("GetCallerIdentity"), s("GetAuthorizationToken"),
             s("BatchCheckLayerAvailability", {"repo": "orders-api"}, repeat=(1, 3)),
             s("InitiateLayerUpload", {"repo": "orders-api"}), s("CompleteLayerUpload", {"repo": "orders-api"}),
             s("PutImage", {"repo": "orders-api"}),
             s("PutObject", lambda q: {"bucket": "artifacts", "key": q.choice(res.object_keys["artifacts"])}),
             s("DescribeServices", {"service": "orders-api"})]
    runners = world.add(HostedRunners(world, p, Client("awscli", 12, minor=15), Net(["0.0.0.0"]), home,
                                      "repo:acme/orders-api:ref:refs/heads/main", build,
                                      runs_per_day=per_hour * 24 * 0.15 / 9.5))
    oidc = "web-identity:arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com:%s" % (PROD, runners.subject)
    classes.append({"name": "hosted_ci_runners", "source": "cloudtrail", "identity_keys": [p.key, oidc],
                    "description": "GitHub-hosted Actions runners (OIDC): a new Azure public address for every job, "
                                   "a new session per run"})

    # Auto Scaling group with public addresses (~28 %).
    p = role("api-asg-instance")
    sc = [Script(5, [s("GetObject", lambda q: {"bucket": "assets", "key": q.choice(res.object_keys["assets"])})]),
          Script(3, [s("Decrypt", {"key": res.kms["app"], "context": {"service": "api"}})]),
          Script(1, [s("GetParameters", {"names": [res.parameters[0], res.parameters[2]], "decrypt": True})]),
          Script(1, [s("PutObject", lambda q: {"bucket": "logs", "key": q.choice(res.object_keys["logs"])})])]
    world.add(ScalingGroup(world, p, Client("boto3", 51), home, sc, per_instance_rate=per_hour * 0.28 / 7.0 / 1.1,
                           low=3, high=12))
    classes.append({"name": "asg_public_instances", "source": "cloudtrail", "identity_keys": [p.key],
                    "description": "Auto Scaling group with public addresses, 3-12 instances through the day, spot "
                                   "reclaims: new instance id, new instance-profile session, new address"})

    # ECS tasks behind a NAT gateway pool (~12 %).
    p = role("batch-workers-task")
    pool = [aws_ip(r, home) for _ in range(4)]
    tasks = [hexid(r, 32) for _ in range(8)]
    sc = [Script(3, [s("GetObject", lambda q: {"bucket": "exports", "key": q.choice(res.object_keys["exports"])}),
                     s("PutObject", lambda q: {"bucket": "reports", "key": q.choice(res.object_keys["reports"])})]),
          Script(1, [s("Decrypt", {"key": res.kms["app"], "context": {"service": "batch"}})])]
    world.add(Workload(world, p, Client("go", 3), Net(pool), home, ("task", tasks), sc,
                       rate=per_hour * 0.12 / 1.75 / BUSINESS_MEAN, profile="business", weekend=0.8, burst=(2, 6)))
    classes.append({"name": "nat_pool", "source": "cloudtrail", "identity_keys": [p.key],
                    "description": "ECS tasks egressing through four NAT gateway addresses (%s), rotating"
                                   % ", ".join(pool)})
    return classes


# --------------------------------------------------------------------------- other sources

IDENTITY_COUNTS = {}  # identity key -> events, for the churn classes of the non-AWS sources


def count(key):
    IDENTITY_COUNTS[key] = IDENTITY_COUNTS.get(key, 0) + 1


def gz_write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(text.encode(), compresslevel=6, mtime=0))


def lines(recs):
    return "".join(gs.dumps(e) + "\n" for _, e in recs)


K8S_DEPLOYS = [  # (namespace, service account, secrets/configmaps it reads, replicas low-high, rollouts a day)
    ("shop", "web", ["web-db"], (3, 10), 3),
    ("shop", "checkout", ["checkout-db", "stripe-key"], (2, 8), 2),
    ("payments", "api", ["db", "stripe-key"], (2, 6), 1),
    ("search", "indexer", ["es-credentials"], (1, 4), 2),
    ("ml", "inference", ["model-registry"], (1, 6), 4),
]


def k8s_churn_day(day, k, mult, state):
    """Pods of K8S_DEPLOYS: every rollout and every HPA scale-out brings new pods with new pod IPs."""
    r = gs.rng("churn", "k8s", day)
    out = []
    for ns, sa, secrets, (lo, hi), rollouts in K8S_DEPLOYS:
        user = f"system:serviceaccount:{ns}:{sa}"
        roll_hours = sorted(r.sample(range(8, 19), rollouts)) if day % 7 < 5 else []
        ua = f"{sa}/1.{day // 3}.{r.randint(0, 9)} (linux/amd64) kubernetes/$Format"
        pods = state.setdefault(sa, [])
        for h in range(24):
            want = lo + round((hi - lo) * gs.rng("hpa", sa, day, h).random() * (1.0 if 8 <= h <= 19 else 0.3))
            if h in roll_hours:
                pods.clear()  # a rollout replaces every pod
            while len(pods) > want:
                pods.pop(0)
            while len(pods) < want:
                pods.append(f"10.244.{r.randint(0, 63)}.{r.randint(2, 254)}")
            for ip in pods:
                for _ in range(gs.rng("n", sa, day, h, ip).randint(1, max(1, int(2 * mult))) if mult >= 1 else 1):
                    t = gs.at(day, h, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
                    what = r.random()
                    if what < 0.35:
                        ev = k.request(t, user, "get", "configmaps", ns, f"{sa}-config", ip=ip, ua=ua, stages=False)
                    elif what < 0.6:
                        ev = k.request(t, user, "get", "secrets", ns, r.choice(secrets), ip=ip, ua=ua, stages=False)
                    elif what < 0.85:
                        ev = k.request(t, user, "list", "endpoints", ns, ip=ip, ua=ua, stages=False)
                    else:
                        ev = k.request(t, user, "create", "events", ns, ip=ip, ua=ua, status=201, stages=False)
                    out.extend(ev[1])
            if day >= 9 and sa == "checkout":  # drift: a deploy makes checkout watch its leases (new API)
                t = gs.at(day, h, r.randint(0, 59), r.randint(0, 59))
                out.extend(k.request(t, user, "get", "leases", ns, "checkout-leader", group="coordination.k8s.io",
                                     ip=pods[0], ua=ua, stages=False)[1])
    return out


def gen_kubernetes(root, days, target):
    k = gs.K8s(gs.rng("k8s", "ids"))
    base = sum(1 for _, e in gs.k8s_day(0, gs.K8s(gs.rng("probe"))) if e["stage"] == "ResponseComplete")
    pod_events = sum(((lo + hi) / 2) * 24 for _, _, _, (lo, hi), _ in K8S_DEPLOYS) * 0.75
    mult = max(0.5, 0.94 * (target / days - base) / pod_events)
    state, attack, events = {}, None, 0
    for day in range(days):
        recs = gs.k8s_day(day, k) + k8s_churn_day(day, k, mult, state)
        if day == SRC_ATTACK_DAY["kubernetes"]:
            attack, extra = gs.k8s_attack(k)
            recs += extra
        recs.sort(key=lambda x: x[0])
        for _, e in recs:
            if e["stage"] == "ResponseComplete":
                events += 1
                count("k8s:" + e["user"]["username"])
        gz_write(os.path.join(root, f"{gs.iso(gs.at(day), 0)[:10]}-audit.jsonl.gz"), lines(recs))
    return [attack], events


def gcp_churn_day(day, g, mult):
    """A managed instance group (worker@) scaling out in its subnet: a new internal address per VM."""
    r = gs.rng("churn", "gcp", day)
    out = []
    who = "worker@shop-prod.iam.gserviceaccount.com"
    ua = "grpc" if day < 8 else "grpc-python/1.64.0 gl-python/3.11.9 grpc/1.64.0 gax/2.19.0 gapic/2.20.0,gzip(gfe)"
    for h in range(24):
        n = 2 + round(6 * gs.rng("mig", day, h).random() * (1.0 if 8 <= h <= 20 else 0.3))
        vms = [f"10.132.0.{gs.rng('vm', day, h // 3, i).randint(2, 254)}" for i in range(n)]  # VMs live ~3 h
        for ip in vms:
            for _ in range(max(1, round(mult * r.uniform(0.5, 1.5)))):
                t = gs.at(day, h, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
                x = r.random()
                if x < 0.3:
                    out.append(g.entry(t, who, gs.SM + "AccessSecretVersion", "secretmanager.googleapis.com",
                                       f"projects/{gs.GCP_PROJECT}/secrets/queue-credentials/versions/latest", ip, ua,
                                       log="data_access", permission="secretmanager.versions.access")[1])
                elif x < 0.7:
                    out.append(g.entry(t, who, "storage.objects.get", "storage.googleapis.com",
                                       f"projects/_/buckets/shop-jobs/objects/in/{r.randrange(10000)}.json", ip, ua,
                                       log="data_access", location="europe-west1")[1])
                else:
                    out.append(g.entry(t, who, "storage.objects.create", "storage.googleapis.com",
                                       f"projects/_/buckets/shop-jobs/objects/out/{r.randrange(10000)}.json", ip, ua,
                                       log="data_access", location="europe-west1")[1])
    if day >= 8:  # drift: a new engineer
        t = gs.at(day, 10, r.randint(0, 50))
        out.append(g.entry(t, "bob@example.com", "v1.compute.instances.list", "compute.googleapis.com",
                           f"projects/{gs.GCP_PROJECT}/zones/europe-west1-b/instances", "198.51.100.77", "console",
                           log="data_access", location="europe-west1-b")[1])
    return out


def gen_gcp(root, days, target):
    g = gs.GCP(gs.rng("gcp", "ids"))
    base = len(gs.gcp_day(0, gs.GCP(gs.rng("probe"))))
    mult = max(0.5, 1.16 * (target / days - base) / (24 * 4.6))
    attack, events = None, 0
    for day in range(days):
        recs = gs.gcp_day(day, g) + gcp_churn_day(day, g, mult)
        if day == SRC_ATTACK_DAY["gcp"]:
            attack, extra = gs.gcp_attack(g)
            recs += extra
        recs.sort(key=lambda x: x[0])
        events += len(recs)
        for _, e in recs:
            count("gcp:" + e["protoPayload"]["authenticationInfo"]["principalEmail"])
        gz_write(os.path.join(root, f"{gs.iso(gs.at(day), 0)[:10]}-cloudaudit.jsonl.gz"), lines(recs))
    return [attack], events


VMSS_MI = {"oid": "3c9d1e2f-4a5b-4c6d-8e7f-90a1b2c3d4e5", "appid": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
           "mirid": f"/subscriptions/{gs.SUB}/resourcegroups/shop/providers/Microsoft.ManagedIdentity/userAssignedIdentities/vmss-worker-mi"}
APP_SERVICE_OUTBOUND = ["20.42.7.10", "20.42.7.41", "20.42.9.118", "20.49.104.26", "20.49.104.51", "40.76.4.15"]


def azure_churn_day(day, z, mult):
    """A VM scale set scaling out in its subnet (new address per instance), and the web app's managed identity
    calling from App Service's pool of outbound addresses."""
    r = gs.rng("churn", "azure", day)
    out = []
    ua = gs.KV_UA if day < 9 else gs.KV_UA.replace("4.8.0", "4.9.0")  # drift: SDK bump
    for h in range(24):
        n = 2 + round(8 * gs.rng("vmss", day, h).random() * (1.0 if 7 <= h <= 21 else 0.25))
        for i in range(n):
            ip = f"10.30.{gs.rng('vmss-ip', day, h // 2, i).randint(0, 3)}.{gs.rng('vmss-host', day, h // 2, i).randint(4, 254)}"
            for _ in range(max(1, round(mult * r.uniform(0.5, 1.5)))):
                t = gs.at(day, h, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
                out.append(z.secret_get(t, VMSS_MI, "kv-jobs", r.choice(["queue-conn", "storage-key"]), ip, ua)[1])
        for _ in range(max(1, round(mult))):  # the web app, scaled out: outbound address from its pool
            t = gs.at(day, h, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
            out.append(z.secret_get(t, gs.MI, "kv-shop", r.choice(["db-password", "stripe-key"]),
                                    r.choice(APP_SERVICE_OUTBOUND), gs.KV_UA)[1])
    return out


def gen_azure(root, days, target):
    z = gs.Azure(gs.rng("azure", "ids"))
    base = len(gs.azure_day(0, gs.Azure(gs.rng("probe"))))
    mult = max(0.5, 1.27 * (target / days - base) / (24 * 7.5))
    attack, events = None, 0
    for day in range(days):
        recs = gs.azure_day(day, z) + azure_churn_day(day, z, mult)
        if day == SRC_ATTACK_DAY["azure"]:
            attack, extra = gs.azure_attack(z)
            recs += extra
        recs.sort(key=lambda x: x[0])
        for _, e in recs:
            if e.get("resultType") != "Start":
                events += 1
                ident = e["identity"].get("claims") or e["identity"].get("claim") or {}
                count("azure:" + ident.get("http://schemas.microsoft.com/identity/claims/objectidentifier", ""))
        gz_write(os.path.join(root, f"{gs.iso(gs.at(day), 0)[:10]}-diagnostics.json.gz"),
                 '{"records":[\n' + ",\n".join(gs.dumps(e) for _, e in recs) + "\n]}\n")
    return [attack], events


def wf_churn_day(day, w, mult):
    """svc-helpdesk's callers run in pods: a new source address at every rollout (twice a day)."""
    r = gs.rng("churn", "workflow", day)
    out = []
    for h in range(24):
        ip = f"10.1.{gs.rng('wfpod', day, h // 12).randint(8, 15)}.{gs.rng('wfhost', day, h // 12).randint(2, 254)}"
        for _ in range(max(1, round(mult * r.uniform(0.5, 1.5)))):
            t = gs.at(day, h, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
            common = dict(source_ip=ip, user_agent="python-httpx/0.27.0", authenticated=True,
                          principal="svc-helpdesk", flow_id="support-bot")
            out += gs.support_bot_run(w, t, r, common)
    return out


def gen_workflow(root, days, target):
    w = gs.Workflow(gs.rng("workflow", "ids"))
    base = len(gs.wf_day(0, gs.Workflow(gs.rng("probe")))) + len(gs.edge_day(0))
    mult = max(0.5, (target / days - base) / (24 * 3))
    attacks, events = [], 0
    for day in range(days):
        recs = gs.wf_day(day, w) + wf_churn_day(day, w, mult)
        edge = gs.edge_day(day)
        if day == SRC_ATTACK_DAY["workflow"]:
            attacks, extra, edge_extra = gs.wf_attack(w)
            recs += extra
            edge += edge_extra
        recs.sort(key=lambda x: x[0])
        edge.sort(key=lambda x: x[0])
        for _, e in recs:
            count("workflow:%s/%s" % (e["server"], e.get("principal", "anonymous")))
        events += len(recs) + sum(1 for _, e in edge if e["record"]["name"] == "uvicorn.access")
        date = gs.iso(gs.at(day), 0)[:10]
        gz_write(os.path.join(root, f"{date}-lf-prod.jsonl.gz"), lines(recs))
        gz_write(os.path.join(root, f"{date}-lf-edge-loguru.jsonl.gz"), lines(edge))
    return attacks, events


SOURCE_CHURN = [
    {"name": "k8s_pod_rollouts", "source": "kubernetes",
     "identity_keys": [f"k8s:system:serviceaccount:{ns}:{sa}" for ns, sa, *_ in K8S_DEPLOYS],
     "description": "Service accounts of five deployments: every rollout (1-4 a weekday) and HPA scale-out gives "
                    "new pods with new pod IPs in 10.244.0.0/16"},
    {"name": "gcp_mig_scale_out", "source": "gcp", "identity_keys": ["gcp:worker@shop-prod.iam.gserviceaccount.com"],
     "description": "A managed instance group of 2-8 VMs (each ~3 h) in subnet 10.132.0.0/24: a new internal "
                    "address per VM"},
    {"name": "azure_vmss_scale_out", "source": "azure",
     "identity_keys": ["azure:" + VMSS_MI["oid"], "azure:" + gs.MI["oid"]],
     "description": "A VM scale set (vmss-worker-mi) of 2-10 instances in 10.30.0.0/22, a new address per "
                    "instance; and the web app's managed identity calling from App Service's six outbound addresses"},
    {"name": "workflow_pod_churn", "source": "workflow", "identity_keys": ["workflow:lf-prod/svc-helpdesk"],
     "description": "svc-helpdesk's callers run in pods: a new 10.1.x.y source address twice a day"},
]
SOURCE_DRIFT = [
    {"name": "k8s_deploy_new_api", "source": "kubernetes",
     "identity_keys": ["k8s:system:serviceaccount:shop:checkout"], "may_fire": ["identity.new_api"],
     "max_severity": "low", "description": "From day 9 a deploy makes checkout read its leader lease (a new API)"},
    {"name": "k8s_sdk_bumps", "source": "kubernetes",
     "identity_keys": [f"k8s:system:serviceaccount:{ns}:{sa}" for ns, sa, *_ in K8S_DEPLOYS],
     "may_fire": ["identity.new_user_agent"], "max_severity": "low",
     "description": "Application versions in the user agent move every three days"},
    {"name": "gcp_sdk_bump", "source": "gcp", "identity_keys": ["gcp:worker@shop-prod.iam.gserviceaccount.com"],
     "may_fire": ["identity.new_user_agent"], "max_severity": "low",
     "description": "grpc-python 1.62.1 -> 1.64.0 on the instance group from day 8"},
    {"name": "gcp_new_engineer", "source": "gcp", "identity_keys": ["gcp:bob@example.com"],
     "may_fire": [], "max_severity": "low", "description": "A new engineer lists instances from day 8"},
    {"name": "azure_sdk_bump", "source": "azure", "identity_keys": ["azure:" + VMSS_MI["oid"]],
     "may_fire": ["identity.new_user_agent"], "max_severity": "low",
     "description": "azsdk-python-keyvault-secrets 4.8.0 -> 4.9.0 on the scale set from day 9"},
]


# --------------------------------------------------------------------------- assembly

def generate(out, events=1_000_000, days=14, seed=SEED, log=print):
    if days < 13:
        sys.exit("--days must be at least 13 (learning 7 days, attacks on days 8-12)")
    t0 = time.time()
    IDENTITY_COUNTS.clear()
    logs = os.path.join(out, "logs")
    os.makedirs(logs, exist_ok=True)
    # The other sources on the same calendar as CloudTrail.
    gs.SEED = seed
    gs.START = dt.datetime(*map(int, START.split("-")), tzinfo=dt.timezone.utc)
    budget = {k: events * v for k, v in SHARE.items()}
    src_attacks, counts = [], {}
    for name, gen in (("kubernetes", gen_kubernetes), ("gcp", gen_gcp), ("azure", gen_azure),
                      ("workflow", gen_workflow)):
        gs.INCIDENT_DAY = SRC_ATTACK_DAY[name]
        attacks, n = gen(os.path.join(logs, name), days, budget[name])
        for a in attacks:
            lab = a.label()
            lab["source"] = name
            src_attacks.append(lab)
        counts[name] = n
        log(f"{name}: {n} events ({time.time() - t0:.0f} s)")

    world = World(seed, START, days, {PROD: REGIONS})
    org = standard_org(world, PROD, REGIONS, scale=1.0, people=1.0)
    service_events(world, PROD, 4)
    base_per_hour = 55  # what standard_org(scale 1) and the drift log per hour, roughly
    churn = churn_cloudtrail(world, org, 1.15 * max(100.0, budget["cloudtrail"] / (days * 24) - base_per_hour))
    changes = benign_drift(world, org)
    ct_attacks = [ATTACKS[n](world, org, world.day(d, h, m)) for n, (d, h, m) in CT_ATTACKS.items()]

    def progress(h0, d):
        if (h0 - world.start) % DAY == 23 * HOUR:
            log(f"cloudtrail: day {(h0 - world.start) // DAY + 1}/{days}, {d.records} records ({time.time() - t0:.0f} s)")

    result = world.generate(logs, progress=progress, digests=False, dup_prob=0.001, max_file_bytes=4 << 20)
    doc = labels("churn_org", " ".join(__doc__.split("\n\n")[0].split()), world, result, ct_attacks, changes, seed)
    doc["generator"] = "tools/gen_churn_org.py"
    for a in doc["attacks"]:
        a["source"] = "cloudtrail"
    for c in doc["benign_changes"]:
        c["source"] = "cloudtrail"
    counts["cloudtrail"] = doc["corpus"]["events"]
    doc["attacks"] += src_attacks
    doc["benign_changes"] += [dict(c, event_ids=[]) for c in SOURCE_DRIFT]
    for c in churn:
        c["event_count"] = sum(result.by_identity.get(k, 0) for k in c["identity_keys"])
    for c in SOURCE_CHURN:
        c = dict(c)
        c["event_count"] = sum(IDENTITY_COUNTS.get(k, 0) for k in c["identity_keys"])
        churn.append(c)
    doc["churn_classes"] = churn
    doc["corpus"]["days"] = days
    doc["corpus"]["events_by_source"] = counts
    doc["corpus"]["events_total"] = sum(counts.values())
    doc["corpus"]["options"] = {"events": events, "days": days, "seed": seed}
    write_json(os.path.join(out, "labels.json"), doc)
    log(f"total: {doc['corpus']['events_total']} events in {time.time() - t0:.0f} s")
    return doc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--events", type=int, default=1_000_000, help="events to aim at over all sources")
    ap.add_argument("--days", type=int, default=14)
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    generate(a.out, a.events, a.days, a.seed, log=lambda m: print(m, file=sys.stderr, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
