"""A large estate for benchmarks: thousands of identities with heavy-tailed rates.

Workloads get random names, SDKs and small API repertoires; teams get SSO roles
with several people; some IAM users, CI roles, a scanner and service-linked roles
per account. Rates are relative weights; `scale_rates` sets the absolute level.
"""

import math

from .behaviour import Human, Net, People, Script, Step, Workload
from .clients import Client
from .core import hexid, rng
from .population import (HOME_BLOCKS, OFFICE_BLOCKS, _cli_commands, _console_pages, aws_prefix,
                         block_prefix, hosts, scanner_role, service_roles)

TEAMS = ["payments", "ledger", "search", "catalog", "checkout", "identity", "ml", "data", "growth", "support",
         "risk", "pricing", "media", "notify", "geo", "ads", "billing", "infra", "mobile", "partner"]
PARTS = ["api", "worker", "ingest", "scheduler", "etl", "gateway", "indexer", "consumer", "exporter", "sync",
         "renderer", "scorer", "batch", "cache-warmer", "webhook"]
ENVS = ["prod", "prod", "prod", "staging", "dev"]
FAMILIES = [("boto3", 51, None), ("go", 0, None), ("java", 640, None), ("java2", 24, 21), ("boto3", 40, None)]
MODELS = ["anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-haiku-20240307-v1:0",
          "amazon.titan-embed-text-v2:0", "meta.llama3-1-70b-instruct-v1:0"]


def _api_pool(res):
    keys = res.object_keys
    return [
        (8, lambda q: Step("GetObject", {"bucket": (b := q.choice(sorted(keys))), "key": q.choice(keys[b])})),
        (4, lambda q: Step("PutObject", {"bucket": (b := q.choice(sorted(keys))), "key": q.choice(keys[b])})),
        (5, lambda q: Step("Decrypt", {"key": res.kms[q.choice(sorted(res.kms))]})),
        (3, lambda q: Step("GenerateDataKey", {"key": res.kms[q.choice(sorted(res.kms))]})),
        (3, lambda q: Step("GetSecretValue", {"secret": q.choice(res.secret_names)})),
        (3, lambda q: Step("GetParameter", {"name": q.choice(res.parameters)})),
        (2, lambda q: Step("GetParameters", {"names": q.sample(res.parameters, 3)})),
        (2, lambda q: Step("InvokeModel", {"model": q.choice(MODELS)})),
        (2, lambda q: Step("DescribeTable", {"table": q.choice(res.tables)})),
        (2, lambda q: Step("ListObjects", {"bucket": q.choice(sorted(keys)), "prefix": ""})),
        (1, lambda q: Step("DescribeInstances")),
        (1, lambda q: Step("DescribeServices", {"service": q.choice(["orders-api", "storefront-web"])})),
        (1, lambda q: Step("GetCallerIdentity")),
        (1, lambda q: Step("DescribeLogGroups")),
    ]


def fleet(world, accounts, identities, seed):
    """Add about `identities` principals across `accounts` ({account: regions}); returns the workloads."""
    r = rng(seed, "fleet")
    per = max(20, identities // len(accounts))
    workloads = []
    for account, regions in accounts.items():
        res = world.resources[account]
        pool = _api_pool(res)
        home = regions[0]
        nat = {reg: [Net(hosts(r, aws_prefix(r, reg), 2)) for _ in range(12)] for reg in regions}
        n_work, n_users, n_teams, n_ci = int(per * 0.72), int(per * 0.1), max(2, int(per * 0.1)), max(1, int(per * 0.06))
        for i in range(n_work):
            team, part, env = r.choice(TEAMS), r.choice(PARTS), r.choice(ENVS)
            name = "%s-%s-%s-%d" % (team, part, env, i)
            p = world.principal(account, "role", name)
            fam, ver, minor = r.choice(FAMILIES)
            kind = r.choice(["instance", "task", "task", "lambda"])
            if kind == "lambda":
                fam = "boto3-lambda"
            region = home if r.random() < 0.95 else r.choice(regions)
            steps = [pick(r, pool)(r) for _ in range(r.randint(1, 5))]
            scripts = [Script(r.randint(1, 5), [st]) for st in steps]
            names = (["i-0" + hexid(r, 16) for _ in range(r.randint(1, 3))] if kind == "instance" else
                     [hexid(r, 32) for _ in range(r.randint(1, 3))] if kind == "task" else [name])
            weight = math.exp(r.gauss(0, 1.4))
            w = Workload(world, p, Client(fam, ver, minor=minor), r.choice(nat[region]), region, (kind, names), scripts,
                         rate=weight, profile=r.choice(["flat", "flat", "business"]), weekend=0.8,
                         burst=(1, r.randint(1, 6)))
            w.weight = weight
            workloads.append(world.add(w))
        _users(world, account, res, r, n_users, home, workloads, pool)
        _teams(world, account, res, r, n_teams, home)
        for j in range(n_ci):
            _ci(world, account, res, r, j, home)
        scanner_role(world, _OrgShim(world, account), r, regions)
        service_roles(world, _OrgShim(world, account), regions)
    return workloads


def pick(r, pool):
    total = sum(w for w, _ in pool)
    x = r.random() * total
    for w, f in pool:
        x -= w
        if x < 0:
            return f
    return pool[-1][1]


class _OrgShim:
    def __init__(self, world, account):
        self.world, self.account, self.res = world, account, world.resources[account]
        self.roles, self.behaviours = {}, {}


def _users(world, account, res, r, n, home, workloads, pool):
    office = Net(hosts(r, block_prefix(r, OFFICE_BLOCKS), 3))
    cmds = _cli_commands(res)
    for i in range(n):
        if i % 2:
            p = world.principal(account, "user", "svc-%s-%d" % (r.choice(TEAMS), i))
            steps = [pick(r, pool)(r) for _ in range(r.randint(1, 3))]
            weight = math.exp(r.gauss(-0.5, 1.0))
            w = Workload(world, p, Client("boto3", r.randint(20, 60)), Net(hosts(r, block_prefix(r, OFFICE_BLOCKS), 1)),
                         home, ("user", []), [Script(1, steps)], rate=weight, profile="flat", burst=(1, 3))
            w.weight = weight
            workloads.append(world.add(w))
        else:
            p = world.principal(account, "user", "%s.%s%d" % (r.choice("abcdefghjklmnprst"), r.choice(TEAMS), i))
            hu = Human(p.name, office, cli=Client("awscli", r.randint(10, 30), minor=15),
                       commands=[cmds[k] for k in ("s3ls", "s3cp", "ec2", "logs", "who", "param")],
                       sessions_per_day=2.0, console_share=0, region=home)
            world.add(People(world, p, [hu]))


def _teams(world, account, res, r, n, home):
    pages, cmds = _console_pages(res), _cli_commands(res)
    for i in range(n):
        team = TEAMS[i % len(TEAMS)]
        p = world.principal(account, "role", "AWSReservedSSO_%sAccess%d_%s" % (team.capitalize(), i, hexid(r, 16)),
                            "aws-reserved/sso.amazonaws.com/")
        humans = []
        for j in range(r.randint(2, 6)):
            net = Net(["%s.%d" % (block_prefix(r, HOME_BLOCKS), r.randint(2, 250))])
            humans.append(Human("%s.%d.%d@acme.example" % (team, i, j), net, browser=r.choice(["chrome-mac", "edge-win"]),
                                cli=Client("awscli-mac", r.randint(15, 32), minor=15),
                                pages=[pages[k] for k in r.sample(sorted(pages), 4)],
                                commands=[cmds[k] for k in r.sample(sorted(cmds), 4)], sessions_per_day=1.5,
                                console_share=0.6, tz=r.choice([-5, 0, 1, 2]), region=home))
        world.add(People(world, p, humans))


def _ci(world, account, res, r, j, home):
    from .behaviour import Pipeline
    p = world.principal(account, "role", "ci-%s-deploy-%d" % (r.choice(TEAMS), j))
    build = [Step("GetCallerIdentity"), Step("GetAuthorizationToken"),
             Step("BatchCheckLayerAvailability", {"repo": r.choice(res.ecr_repos)}, repeat=(1, 3)),
             Step("PutImage", {"repo": r.choice(res.ecr_repos)}),
             Step("GetSecretValue", {"secret": r.choice(res.secret_names)}),
             Step("UpdateService", {"service": "orders-api"})]
    world.add(Pipeline(world, p, Client("awscli", r.randint(10, 30), minor=15), Net(hosts(r, aws_prefix(r, home), 2)),
                       home, "repo:acme/%s-%d:ref:refs/heads/main" % (r.choice(TEAMS), j), build, runs_per_day=10))


def scale_rates(workloads, factor):
    for w in workloads:
        w.rate = w.weight * factor
