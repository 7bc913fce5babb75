"""Scenario assembly: a benign world per scenario, the attack (or drift) woven in, and
the labels.json that says what a detector should find.

labels.json (schema "trailhound.labels/v1"):
  scenario, description, seed, generator
  corpus:   accounts, regions, start, end, learning_days, learning_end, log_files, digest_files,
            records (incl. duplicate deliveries), events (distinct eventIDs), duplicate_event_ids
  attacks:  [{name, description, account, identity_keys, window {start, end}, expected_detectors,
              event_count, event_ids, steps [{name, description, detectors, event_ids}]}]
  benign_changes: [{name, description, identity_keys, window, event_count, event_ids,
                    may_fire, max_severity}]
  expectations: {max_severity_outside_attacks}
"""

import json
import os

from .attacks import ATTACKS
from .behaviour import Net, Script, Step
from .clients import Client
from .core import DAY, HOUR, SEC, iso, rng, uuid4
from .identity import ServiceSession
from .population import HOME_BLOCKS, block_prefix, standard_org
from .render import Call
from .world import World

SEED = 20250602
START = "2025-06-02"  # a Monday
DAYS = 10
LEARNING_DAYS = 7
PROD = "482913376051"
STAGING = "760224918835"
REGIONS = ["us-east-1", "eu-west-1"]
ATTACK_DAY = 8

SCENARIO_FEATURES = {
    "ai_workflow_compromise": {"langflow", "lambdas", "ci", "people", "scanner", "service_roles"},
    "public_app_pivot": {"storefront", "orders", "lambdas", "ci", "people", "scanner", "service_roles"},
    "leaked_user_key": {"storefront", "ci", "people", "scanner", "service_roles", "backup"},
    "ci_low_and_slow": {"orders", "lambdas", "ci", "people", "scanner", "service_roles"},
    "logging_disabled": {"langflow", "lambdas", "ci", "people", "scanner", "service_roles"},
    "benign_drift": None,
}
ATTACK_TIMES = {  # (day, hour, minute) UTC
    "ai_workflow_compromise": (ATTACK_DAY, 14, 22),
    "public_app_pivot": (ATTACK_DAY, 10, 41),
    "leaked_user_key": (ATTACK_DAY, 1, 13),
    "ci_low_and_slow": (ATTACK_DAY, 0, 17),
    "logging_disabled": (ATTACK_DAY, 3, 10),
}
SCENARIOS = list(SCENARIO_FEATURES)


class BenignChange:
    def __init__(self, name, description, identity_keys, may_fire=(), max_severity="low"):
        self.name, self.description, self.identity_keys = name, description, identity_keys
        self.may_fire, self.max_severity = list(may_fire), max_severity

    @property
    def tag(self):
        return "benign:" + self.name


def service_events(world, account, day):
    """A yearly KMS key rotation: an AwsServiceEvent with no userIdentity.type."""
    res = world.resources[account]
    r = rng(world.seed, "service-events", account)
    key = res.kms["secrets"]
    world.inject([Call(world.day(day, 4, 12, 7), account, ServiceSession(world.service("kms.amazonaws.com")),
                       "RotateKey", {"key": key}, "AWS Internal", None, res.home, None, (), uuid4(r),
                       invoked_by="AWS Internal", service_event={"keyId": key.rsplit("/", 1)[1]})])


def root_sign_in(world, account, t):
    """The root user signs in with MFA to look at billing: legitimate, notable."""
    from .identity import Session
    root = world.principal(account, "root", "root")
    r = rng(world.seed, "root", account)
    login = Session(root, "root", "", t, mfa=True)
    console = root.console_session(t)
    ip = "%s.%d" % (block_prefix(r, HOME_BLOCKS), r.randint(2, 250))
    client = Client("console", 692, host={"browser": "firefox-mac", "browser_version": 126})
    calls = [Call(t, account, login, "ConsoleLogin", {"mfa": "Yes"}, ip, client, "us-east-1", None, ("notable:root",),
                  uuid4(r))]
    for i, api in enumerate(["GetCostAndUsage", "DescribeEventAggregates", "GetAccountSummary", "ListUsers"]):
        calls.append(Call(t + (i + 1) * 7 * SEC, account, console, api, None, ip, client, "us-east-1", None,
                          ("notable:root",), uuid4(r), console=True))
    world.inject(calls)


def benign_drift(world, org):
    """Post-learning changes that must not be reported above low severity."""
    changes = []
    t = world.day(LEARNING_DAYS)
    lf = org.behaviours["langflow"]
    c = BenignChange("sdk_version_bump", "Boto3 1.34.51 -> 1.34.88 on the Langflow server, aws-cli 2.15.18 -> 2.15.30 "
                     "for d.okafor, Terraform AWS provider 5.31 -> 5.44", [lf.p.key, org.users["d.okafor"].key,
                                                                          org.roles["terraform-deploy"].key])
    lf.client.bumps = [(t + 9 * HOUR, 88)]
    lf.bump_tag = c.tag
    dk = org.behaviours["d.okafor"]
    dk.humans[0].cli.bumps = [(t + DAY, 30)]
    dk.bump_tag = c.tag
    dk.client = dk.humans[0].cli
    org.behaviours["ci"].terraform[1].bumps = [(t + 2 * DAY, 44)]
    changes.append(c)

    sf = org.behaviours["storefront"]
    old = sf.net.ips[0]
    prefix, host = old.rsplit(".", 1)
    new = "%s.%d" % (prefix, (int(host) + 57) % 250 + 3)
    c = BenignChange("nat_ip_change_same_24", "The storefront NAT gateway address moves from %s to %s (same /24)"
                     % (old, new), [sf.p.key], may_fire=["identity.new_source"])
    sf.net.move(t + 12 * HOUR, old, new, c.tag)
    changes.append(c)

    od = org.behaviours["orders"]
    c = BenignChange("deploy_new_read_api", "A deploy makes orders-api-task call kms:DescribeKey at start-up "
                     "(one new read-only API)", [od.p.key], may_fire=["identity.new_api"])
    od.scripts.append(Script(1.5, [Step("DescribeKey", {"key": org.res.kms["app"]})], since=t + DAY + 10 * HOUR,
                             tag=c.tag))
    changes.append(c)

    dev = org.behaviours["sso_dev"]
    c = BenignChange("new_engineer", "A new engineer starts on the DeveloperAccess SSO role: new session name, "
                     "new home address, console and CLI work", [dev.p.key],
                     may_fire=["identity.new_source", "identity.new_user_agent"])
    r = rng(world.seed, "new-engineer")
    hu = org.human_factory(7, ["ec2", "lambda", "logs", "ecs"], ["who", "logs", "ecs"], 4.0, 0.8)
    hu.email = "priya.nair@acme.example"
    hu.net = Net(["%s.%d" % (block_prefix(r, HOME_BLOCKS), r.randint(2, 250))])
    hu.since, hu.tag = t + 9 * HOUR, c.tag
    dev.humans.append(hu)
    changes.append(c)

    sc = org.behaviours["scanner"]
    c = BenignChange("inventory_scanner", "The vendor's daily inventory sweep: ~150 distinct List/Describe/Get calls "
                     "in minutes, every day (its normal behaviour)", [sc.p.key], max_severity="info")
    sc.tag_after = (t, c.tag)
    changes.append(c)

    c = BenignChange("occasional_access_denied", "Isolated AccessDenied on APIs the identities use every day",
                     [org.users["d.okafor"].key, org.roles["github-actions-deploy"].key])
    ci = org.behaviours["ci"]
    calls = []
    for day, hour, who in ((7, 15, "user"), (8, 11, "ci"), (9, 16, "user")):
        at = world.day(day, hour, 7 + day)
        if who == "user":
            sess = org.users["d.okafor"].user_session()
            calls.append(dk.call(at, sess, "GetObject", {"bucket": "reports", "key": org.res.object_keys["reports"][0]},
                                 error="denied", ip=org.office.ips[0], client=dk.humans[0].cli, tags=(c.tag,)))
        else:
            sess = ci.p.session("GitHubActions", 9_500_000_000 + day, at)
            calls.append(ci.call(at, sess, "BatchCheckLayerAvailability", {"repo": "orders-api"}, error="denied",
                                 tags=(c.tag,)))
    world.inject(calls)
    changes.append(c)
    return changes


def build(name, seed=SEED, days=DAYS, scale=0.3, people=0.7):
    """World, attacks and benign changes for one named scenario (not generated yet)."""
    world = World(seed, START, days, {PROD: REGIONS})
    org = standard_org(world, PROD, REGIONS, scale=scale, features=SCENARIO_FEATURES[name], people=people)
    service_events(world, PROD, 4)
    attacks, changes = [], []
    if name == "benign_drift":
        changes = benign_drift(world, org)
    else:
        d, h, m = ATTACK_TIMES[name]
        attacks.append(ATTACKS[name](world, org, world.day(d, h, m)))
    return world, attacks, changes


def build_demo(seed=SEED, days=DAYS):
    """Two accounts, two regions, ten days; scenarios a and b in prod, e in staging."""
    world = World(seed, START, days, {PROD: REGIONS, STAGING: REGIONS})
    prod = standard_org(world, PROD, REGIONS, scale=0.45, people=0.8)
    staging = standard_org(world, STAGING, REGIONS, scale=0.25, people=0.6,
                           features={"langflow", "storefront", "lambdas", "ci", "people", "scanner", "service_roles"})
    service_events(world, PROD, 4)
    service_events(world, STAGING, 5)
    root_sign_in(world, PROD, world.day(3, 16, 4, 51))
    attacks = [ATTACKS["ai_workflow_compromise"](world, prod, world.day(7, 14, 22)),
               ATTACKS["public_app_pivot"](world, prod, world.day(8, 10, 41)),
               ATTACKS["logging_disabled"](world, staging, world.day(9, 3, 10))]
    return world, attacks, []


def labels(name, description, world, result, attacks, changes, seed):
    d = result.delivery
    dup = sorted(set(d.duplicates))
    doc = {
        "schema": "trailhound.labels/v1",
        "scenario": name,
        "description": description,
        "seed": seed,
        "generator": "tools/gen_corpora.py",
        "corpus": {
            "accounts": sorted(world.accounts),
            "regions": sorted({f.region for f in d.files}),
            "start": iso(world.start),
            "end": iso(world.end),
            "learning_days": LEARNING_DAYS,
            "learning_end": iso(world.start + LEARNING_DAYS * DAY),
            "log_files": len(d.files),
            "digest_files": d.digest_count,
            "records": d.records,
            "events": d.records - len(d.duplicates),  # every extra copy is listed in d.duplicates
            "duplicate_event_ids": dup,
        },
        "attacks": [],
        "benign_changes": [],
        "expectations": {"max_severity_outside_attacks": "low"},
    }
    for a in attacks:
        hits = sorted(result.by_tag.get(a.tag, []))
        steps = []
        for sname, det, desc in a.steps:
            steps.append({"name": sname, "description": desc, "detectors": det,
                          "event_ids": result.eids("step:%s:%s" % (a.name, sname))})
        doc["attacks"].append({
            "name": a.name, "description": a.description, "account": a.account,
            "identity_keys": a.identity_keys,
            "window": {"start": iso(hits[0][0]), "end": iso(hits[-1][0])},
            "expected_detectors": sorted(a.expected),
            "event_count": len(hits), "event_ids": [e for _, e, _ in hits], "steps": steps})
    for c in changes:
        hits = sorted(result.by_tag.get(c.tag, []))
        doc["benign_changes"].append({
            "name": c.name, "description": c.description, "identity_keys": c.identity_keys,
            "window": {"start": iso(hits[0][0]), "end": iso(hits[-1][0])} if hits else None,
            "event_count": len(hits), "event_ids": [e for _, e, _ in hits],
            "may_fire": c.may_fire, "max_severity": c.max_severity})
    return doc


def write_json(path, doc):
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=2, sort_keys=False)
        fh.write("\n")


def generate_scenario(name, out_dir, seed=SEED, **kw):
    world, attacks, changes = build(name, seed, **kw)
    result = world.generate(out_dir, digests=False, dup_prob=0.002)
    desc = attacks[0].description if attacks else " ".join(benign_drift.__doc__.split())
    doc = labels(name, desc, world, result, attacks, changes, seed)
    write_json(os.path.join(out_dir, "labels.json"), doc)
    return doc


def generate_demo(out_dir, seed=SEED):
    world, attacks, changes = build_demo(seed)
    result = world.generate(out_dir, digests=True, dup_prob=0.001, force_duplicate=True)
    doc = labels("demo", " ".join(build_demo.__doc__.split()), world, result, attacks, changes, seed)
    write_json(os.path.join(out_dir, "labels.json"), doc)
    return doc, result
