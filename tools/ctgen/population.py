"""A believable company estate for one account: workloads, people, CI, Terraform,
a vendor's inventory scanner and AWS service-linked roles.

`standard_org` returns an `Org` that names its parts, so scenarios can attack a
given role and reuse its session, network and client.
"""

from .behaviour import Human, Net, People, Pipeline, Scanner, Script, ServiceLinked, Step, Workload
from .clients import Client, bump_schedule
from .core import HOUR, hexid, rng

AWS_BLOCKS = {
    "us-east-1": [(3, 80, 95), (18, 204, 207), (34, 192, 207), (44, 192, 223), (52, 0, 1), (52, 70, 71), (54, 80, 87)],
    "us-west-2": [(35, 80, 95), (44, 224, 255), (52, 32, 35), (54, 68, 71)],
    "eu-west-1": [(34, 240, 247), (52, 16, 17), (54, 72, 73), (63, 32, 35)],
    "eu-central-1": [(3, 120, 127), (18, 156, 159), (52, 57, 58)],
    "ap-southeast-3": [(43, 218, 218), (108, 136, 137)],
}
OFFICE_BLOCKS = [(81, 134), (62, 252), (80, 229), (195, 212), (213, 86)]
HOME_BLOCKS = [(86, 1), (86, 28), (92, 40), (109, 150), (73, 162), (24, 18), (98, 207), (82, 132), (90, 214)]
ATTACKER_BLOCKS = [(45, 134), (45, 155), (45, 147), (45, 88), (91, 92), (193, 32)]
VENDOR_BLOCKS = [(35, 203), (34, 106)]
CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


def aws_prefix(r, region):
    a, lo, hi = r.choice(AWS_BLOCKS.get(region, AWS_BLOCKS["us-east-1"]))
    return "%d.%d.%d" % (a, r.randint(lo, hi), r.randrange(256))


def block_prefix(r, blocks):
    a, b = r.choice(blocks)
    return "%d.%d.%d" % (a, b, r.randrange(256))


def hosts(r, prefix, n):
    return ["%s.%d" % (prefix, h) for h in sorted(r.sample(range(4, 250), n))]


class Org:
    """Named parts of one account's estate."""

    def __init__(self, world, account):
        self.world = world
        self.account = account
        self.res = world.resources[account]
        self.roles = {}
        self.users = {}
        self.behaviours = {}
        self.office = None


def s(api, args=None, **kw):
    return Step(api, args, **kw)


def standard_org(world, account, regions, scale=1.0, features=None, tz=1, people=1.0):
    """Populate `world` with one account's benign estate. features: subset of
    {"langflow", "storefront", "orders", "lambdas", "ci", "people", "scanner", "service_roles", "backup"}."""
    all_features = {"langflow", "storefront", "orders", "lambdas", "ci", "people", "scanner", "service_roles", "backup"}
    features = all_features if features is None else set(features)
    r = rng(world.seed, "org", account)
    org = Org(world, account)
    res = org.res
    home = regions[0]
    org.office = Net(hosts(r, block_prefix(r, OFFICE_BLOCKS), 2), [3, 1])
    days = world.days

    def role(name, path=""):
        p = world.principal(account, "role", name, path)
        org.roles[name] = p
        return p

    def client(family, version, **kw):
        return bump_schedule(Client(family, version, **kw), r, world.start, days)

    if "langflow" in features:
        p = role("langflow-server")
        net = Net(hosts(r, aws_prefix(r, home), 2))
        scripts = [Script(10, [s("InvokeModel", {"model": CLAUDE}, repeat=(1, 3))]),
                   Script(3, [s("GetObject", lambda q: {"bucket": "flows", "key": q.choice(res.object_keys["flows"])}),
                              s("InvokeModel", {"model": HAIKU}, repeat=(1, 2))])]
        cron = [(1, 0, 2, Script(1, [s("GetSecretValue", {"secret": "prod/langflow/app-secrets"})]), None)]
        org.behaviours["langflow"] = world.add(Workload(
            world, p, client("boto3", 51), net, home, ("instance", [res.instances["langflow-1"]]), scripts,
            rate=5 * scale, profile="business", weekend=0.4, cron=cron, burst=(2, 6)))

    if "storefront" in features:
        p = role("storefront-web")
        net = Net(hosts(r, aws_prefix(r, home), 2))
        scripts = [Script(8, [s("GetObject", lambda q: {"bucket": "assets", "key": q.choice(res.object_keys["assets"])})]),
                   Script(3, [s("GenerateDataKey", {"key": res.kms["s3"]}),
                              s("PutObject", lambda q: {"bucket": "uploads", "key": q.choice(res.object_keys["uploads"])})])]
        cron = [(1, 0, 1, Script(1, [s("GetSecretValue", {"secret": "prod/storefront/db-credentials"}),
                                     s("GetParameter", {"name": "/prod/storefront/feature_flags", "decrypt": False})]), None),
                (1, 0, 3, Script(1, [s("UpdateInstanceInformation",
                                       {"instance": res.instances["storefront-1"], "private_ip": "10.20.1.37"})]),
                 Client("ssm-agent", 290))]
        org.behaviours["storefront"] = world.add(Workload(
            world, p, client("java", 640), net, home, ("instance", [res.instances["storefront-1"], res.instances["storefront-2"]]),
            scripts, rate=3 * scale, profile="business", weekend=0.9, cron=cron, burst=(1, 4)))

    if "orders" in features:
        p = role("orders-api-task")
        net = Net(hosts(r, aws_prefix(r, home), 1))
        tasks = [hexid(r, 32) for _ in range(2)]
        scripts = [Script(5, [s("Decrypt", {"key": res.kms["app"], "context": {"service": "orders-api"}})]),
                   Script(2, [s("GenerateDataKey", {"key": res.kms["app"], "context": {"service": "orders-api"}})])]
        cron = [(1, 0, 0, Script(1, [s("GetSecretValue", {"secret": "prod/orders-api/db-credentials"}),
                                     s("GetParameters", {"names": ["/prod/orders-api/db_host", "/prod/orders-api/queue_url"],
                                                         "decrypt": True})]), None)]
        org.behaviours["orders"] = world.add(Workload(
            world, p, client("go", 0), net, home, ("task", tasks), scripts, rate=3 * scale, profile="business",
            weekend=0.8, cron=cron, burst=(2, 5)))

    if "lambdas" in features:
        p = role("log-archiver-fn")
        net = Net(hosts(r, aws_prefix(r, home), 2))
        job = Script(1, [s("DescribeLogGroups"), s("CreateExportTask", lambda q: {"group": q.choice(res.log_groups)}),
                         s("DescribeExportTasks")])
        org.behaviours["log_archiver"] = world.add(Workload(
            world, p, client("boto3-lambda", 42), net, home, ("lambda", ["log-archiver"]), [job], rate=0,
            cron=[(2, 0, 4, job, None)], period=4 * HOUR))
        p = role("cost-reporter-fn")
        job = Script(1, [s("GetCostAndUsage"), s("PutObject", lambda q: {"bucket": "reports",
                                                                         "key": q.choice(res.object_keys["reports"])})])
        org.behaviours["cost_reporter"] = world.add(Workload(
            world, p, client("boto3-lambda", 42), Net(hosts(r, aws_prefix(r, home), 1)), home,
            ("lambda", ["cost-reporter"]), [job], rate=0, cron=[(24, 6, 0, job, None)], period=4 * HOUR))

    if "backup" in features:
        p = world.principal(account, "user", "svc-backup")
        org.users["svc-backup"] = p
        job = Script(1, [s("ListObjects", {"bucket": "backups", "prefix": "pg/orders/"}),
                         s("PutObject", lambda q: {"bucket": "backups", "key": q.choice(res.object_keys["backups"])},
                           repeat=(3, 8))])
        org.behaviours["backup"] = world.add(Workload(
            world, p, client("boto3", 36), Net(hosts(r, block_prefix(r, OFFICE_BLOCKS), 1)), home, ("user", []), [job],
            rate=0, cron=[(24, 1, 30, job, None)]))

    if "ci" in features:
        ci_role(world, org, r, client, home, scale)
    if "people" in features:
        people_roles(world, org, r, home, regions, tz, people)
    if "scanner" in features:
        scanner_role(world, org, r, regions)
    if "service_roles" in features:
        service_roles(world, org, regions)
    return org


def ci_role(world, org, r, client, home, scale):
    res, account = org.res, org.account
    ci = world.principal(account, "role", "github-actions-deploy")
    tf = world.principal(account, "role", "terraform-deploy")
    org.roles["github-actions-deploy"], org.roles["terraform-deploy"] = ci, tf
    net = Net(hosts(r, aws_prefix(r, home), 2))
    build = [s("GetCallerIdentity"), s("GetAuthorizationToken"),
             s("BatchCheckLayerAvailability", {"repo": "storefront-web"}, repeat=(1, 3)),
             s("InitiateLayerUpload", {"repo": "storefront-web"}), s("CompleteLayerUpload", {"repo": "storefront-web"}),
             s("PutImage", {"repo": "storefront-web"}),
             s("PutObject", lambda q: {"bucket": "artifacts", "key": q.choice(res.object_keys["artifacts"])}),
             s("GetSecretValue", {"secret": "ci/npm-token"}), s("GetSecretValue", {"secret": "ci/dockerhub-token"}),
             s("GetSecretValue", {"secret": "ci/sonarcloud-token"}),
             s("UpdateService", {"service": "storefront-web"}), s("DescribeServices", {"service": "storefront-web"},
                                                                 repeat=(2, 4))]
    roles = ["storefront-web", "orders-api-task", "langflow-server", "log-archiver-fn"]
    buckets = sorted(res.buckets)
    plan = [s("GetCallerIdentity"), s("GetObject", {"bucket": "tfstate", "key": res.object_keys["tfstate"][2]}),
            s("DescribeVpcs"), s("DescribeSubnets"), s("DescribeSecurityGroups"), s("DescribeRouteTables"),
            s("DescribeNatGateways"), s("DescribeLaunchTemplates"), s("DescribeInstances"),
            s("DescribeLoadBalancers"), s("DescribeTargetGroups"), s("DescribeDBInstances"), s("DescribeLogGroups"),
            s("DescribeKey", {"key": res.kms["app"]}), s("DescribeTable", {"table": "orders"}),
            s("DescribeContinuousBackups", {"table": "orders"}), s("DescribeServices", {"service": "orders-api"}),
            s("DescribeTaskDefinition", {"service": "orders-api"}),
            s("GetFunction20150331v2", {"function": "log-archiver"}), s("GetPolicy20150331v2", {"function": "log-archiver"})]
    for name in roles:
        plan += [s("GetRole", {"roleName": name}), s("ListAttachedRolePolicies", {"roleName": name}),
                 s("ListRolePolicies", {"roleName": name})]
    for i, b in enumerate(buckets[:6]):
        plan += [s("GetBucketPolicy", {"bucket": b}, error=1.0 if i % 2 else 0.0,
                   fail=("NoSuchBucketPolicy", "The bucket policy does not exist"))]
        plan += [s(api, {"bucket": b}) for api in ("GetBucketAcl", "GetBucketVersioning", "GetBucketEncryption",
                                                    "GetBucketPublicAccessBlock", "GetBucketTagging")]
    apply_ = [s("TagRole", {"role": "orders-api-task"}), s("CreateTags", {"resource": res.instances["worker-1"]}),
              s("PutBucketTagging", {"bucket": "artifacts"}), s("UpdateRole", {"role": "orders-api-task"}),
              s("PutObject", {"bucket": "tfstate", "key": res.object_keys["tfstate"][2]})]
    tf_client = client("terraform", 31, host={"tf_patch": 6})
    org.behaviours["ci"] = world.add(Pipeline(
        world, ci, client("awscli", 10), net, home, "repo:acme/storefront:ref:refs/heads/main", build,
        runs_per_day=5 * scale, terraform=(tf, tf_client, plan, apply_), tf_share=0.3))


def _console_pages(res):
    users = ["d.okafor", "svc-backup", "m.keller", "legacy-reporting"]

    def iam_users(q):
        out = [("ListUsers", None)]
        for u in users:
            out += [("ListAccessKeys", {"userName": u}), ("ListMFADevices", {"userName": u})]
        return out + [("GetAccessKeyLastUsed", None)] * 2

    def iam_roles(q):
        role = q.choice(["storefront-web", "orders-api-task", "langflow-server", "terraform-deploy"])
        return [("ListRoles", None), ("GetRole", {"roleName": role}), ("ListAttachedRolePolicies", {"roleName": role}),
                ("ListRolePolicies", {"roleName": role})]

    def s3(q):
        return [("ListBuckets", None)] + [(a, {"bucket": b}) for b in q.sample(sorted(res.buckets), 3)
                                          for a in ("GetBucketLocation", "GetBucketPolicyStatus")]

    def ec2(q):
        return [("DescribeInstances", None), ("DescribeInstanceStatus", None), ("DescribeAddresses", None),
                ("DescribeTags", None), ("DescribeSecurityGroups", None)]

    def lam(q):
        fn = q.choice(res.functions)
        return [("ListFunctions20150331", None), ("GetFunction20150331v2", {"function": fn}),
                ("GetPolicy20150331v2", {"function": fn})]

    def logs(q):
        g = q.choice(res.log_groups)
        return [("DescribeLogGroups", None), ("DescribeLogStreams", {"group": g}), ("FilterLogEvents", {"group": g})]

    def alarms(q):
        return [("DescribeAlarms", None), ("DescribeEventAggregates", None)]

    def ecs(q):
        return [("ListClusters", None), ("DescribeServices", {"service": q.choice(["orders-api", "storefront-web"])})]

    def rds(q):
        return [("DescribeDBInstances", None), ("DescribeDBClusters", None)]

    def cost(q):
        return [("GetCostAndUsage", None), ("DescribeEventAggregates", None)]

    def secrets(q):
        return [("ListSecrets", None), ("DescribeSecret", {"secret": q.choice(res.secret_names[:8])})]

    return {"iam_users": iam_users, "iam_roles": iam_roles, "s3": s3, "ec2": ec2, "lambda": lam, "logs": logs,
            "alarms": alarms, "ecs": ecs, "rds": rds, "cost": cost, "secrets": secrets}


def _cli_commands(res):
    def who(q):
        return [("GetCallerIdentity", None)]

    def logs(q):
        return [("FilterLogEvents", {"group": q.choice(res.log_groups)})]

    def ecs(q):
        return [("DescribeServices", {"service": q.choice(["orders-api", "storefront-web"])})]

    def s3ls(q):
        return [("ListBuckets", None)]

    def s3cp(q):
        return [("GetObject", {"bucket": "exports", "key": q.choice(res.object_keys["exports"])})
                for _ in range(q.randint(1, 4))]

    def param(q):
        return [("GetParameter", {"name": q.choice(res.parameters[:20])})]

    def ec2(q):
        return [("DescribeInstances", None)]

    def stacks(q):
        return [("DescribeStacks", None)]

    def lam(q):
        return [("GetFunction20150331v2", {"function": q.choice(res.functions)})]

    def iam(q):
        return [("ListRoles", None), ("GetRole", {"roleName": q.choice(["storefront-web", "orders-api-task"])})]

    def tagrole(q):
        return [("TagRole", {"role": q.choice(["orders-api-task", "storefront-web"])}), ("UpdateRole", None)]

    return {"who": who, "logs": logs, "ecs": ecs, "s3ls": s3ls, "s3cp": s3cp, "param": param, "ec2": ec2,
            "stacks": stacks, "lambda": lam, "iam": iam, "tagrole": tagrole}


FIRST = ["amara", "lukas", "sofia", "mateo", "yuki", "noah", "ines", "tomas", "lea", "omar", "nina", "felix",
         "chloe", "ravi", "elena", "jonas"]
LAST = ["schmidt", "garcia", "tanaka", "novak", "dubois", "rossi", "kowalski", "silva", "jensen", "haddad",
        "moreau", "fischer", "costa", "lindqvist", "murphy", "patel"]


def people_roles(world, org, r, home, regions, tz, people=1.0):
    res, account = org.res, org.account
    pages, cmds = _console_pages(res), _cli_commands(res)
    sso = "aws-reserved/sso.amazonaws.com/"
    admin = world.principal(account, "role", "AWSReservedSSO_AdministratorAccess_%s" % hexid(r, 16), sso)
    dev = world.principal(account, "role", "AWSReservedSSO_DeveloperAccess_%s" % hexid(r, 16), sso)
    org.roles["sso_admin"], org.roles["sso_dev"] = admin, dev
    names = list(zip(r.sample(FIRST, 8), r.sample(LAST, 8)))

    def human(i, page_keys, cmd_keys, spd, console_share, cli_family="awscli-mac"):
        f, l = names[i]
        home_net = Net([org.office.ips[0], "%s.%d" % (block_prefix(r, HOME_BLOCKS), r.randrange(2, 254))], [3, 1])
        return Human("%s.%s@acme.example" % (f, l), home_net, browser=r.choice(["chrome-mac", "chrome-win", "firefox-mac"]),
                     cli=Client(cli_family, r.randint(20, 32), minor=15), pages=[pages[k] for k in page_keys],
                     commands=[cmds[k] for k in cmd_keys], sessions_per_day=spd * people, console_share=console_share,
                     tz=tz, region=home)

    admins = [human(0, ["iam_users", "iam_roles", "s3", "ec2", "cost", "secrets"], ["who", "iam", "s3ls"], 2.0, 0.7),
              human(1, ["iam_roles", "ec2", "alarms", "cost", "s3"], ["who", "iam", "ec2"], 1.6, 0.6)]
    devs = [human(i, ["ec2", "lambda", "logs", "ecs", "alarms", "rds"], ["who", "logs", "ecs", "param", "lambda"],
                  1.4, 0.5) for i in range(2, 6)]
    org.people = {"admins": admins, "devs": devs}
    org.behaviours["sso_admin"] = world.add(People(world, admin, admins))
    org.behaviours["sso_dev"] = world.add(People(world, dev, devs))
    org.human_factory = human
    org.names = names
    # Admins chain into platform-admin from the CLI for IAM housekeeping a few times a week.
    pa = world.principal(account, "role", "platform-admin")
    org.roles["platform-admin"] = pa
    # Privileged work happens from the office network only.
    pa_humans = [Human(h.email, Net(org.office.ips[:1]), cli=h.cli, commands=[cmds["who"], cmds["iam"], cmds["tagrole"]],
                       sessions_per_day=0.4 * people, console_share=0, tz=tz, region=home) for h in admins]
    org.behaviours["platform_admin"] = world.add(People(world, pa, pa_humans, via=admin))
    # A developer with a long-lived IAM user key (legacy), aws-cli from the office.
    u = world.principal(account, "user", "d.okafor")
    org.users["d.okafor"] = u
    office_cli = Human("d.okafor", Net(org.office.ips), cli=Client("awscli", 18, minor=15),
                       commands=[cmds["s3ls"], cmds["s3cp"], cmds["s3cp"], cmds["ec2"], cmds["logs"], cmds["stacks"],
                                 cmds["who"]], sessions_per_day=2.5 * people, console_share=0, tz=tz, region=home)
    org.behaviours["d.okafor"] = world.add(People(world, u, [office_cli], denied=0.005))


def scanner_role(world, org, r, regions):
    res = org.res
    p = world.principal(org.account, "role", "cloud-inventory-readonly")
    org.roles["cloud-inventory-readonly"] = p
    net = Net(hosts(r, block_prefix(r, VENDOR_BLOCKS), 2))
    buckets = sorted(res.buckets)
    g = [s("GetCallerIdentity"), s("ListUsers"), s("ListRoles"), s("ListGroups"), s("ListPolicies"),
         s("GetAccountSummary"), s("GetAccountPasswordPolicy"), s("GenerateCredentialReport"), s("GetCredentialReport"),
         s("ListVirtualMFADevices"), s("ListInstanceProfiles"), s("ListOpenIDConnectProviders"), s("ListSAMLProviders"),
         s("ListServerCertificates"), s("GetAccountAuthorizationDetails"), s("DescribeOrganization", error=1.0),
         s("ListHostedZones"), s("ListBuckets")]
    no_policy = ("NoSuchBucketPolicy", "The bucket policy does not exist")
    for i, b in enumerate(buckets):
        g += [s("GetBucketPolicy", {"bucket": b}, error=1.0 if i % 3 else 0.0, fail=no_policy),
              s("GetBucketPublicAccessBlock", {"bucket": b})]
    regional = [s("DescribeRegions"), s("DescribeInstances"), s("DescribeSecurityGroups"), s("DescribeVpcs"),
                s("DescribeSubnets"), s("DescribeSnapshots"), s("DescribeVolumes"), s("DescribeFlowLogs"),
                s("GetEbsEncryptionByDefault"), s("DescribeDBInstances"), s("DescribeDBClusters"),
                s("DescribeDBSnapshots"), s("ListFunctions20150331"), s("ListKeys"), s("ListAliases"),
                s("ListSecrets"), s("DescribeParameters"), s("ListDetectors"), s("DescribeConfigurationRecorders"),
                s("DescribeConfigurationRecorderStatus"), s("DescribeTrails"), s("GetTrailStatus"),
                s("DescribeLogGroups"), s("DescribeLoadBalancers"), s("ListTables"), s("ListClusters"),
                s("eks:ListClusters", error=1.0), s("ListQueues"), s("ListTopics")]
    org.behaviours["scanner"] = world.add(Scanner(
        world, p, Client("go", 2), net, list(regions), g, regional, "7%011d" % r.randrange(10 ** 11)))


def service_roles(world, org, regions):
    path = "aws-service-role/%s/"
    cfg = world.principal(org.account, "role", "AWSServiceRoleForConfig", path % "config.amazonaws.com")
    steps = [s("DescribeInstances"), s("DescribeSecurityGroups"), s("DescribeVpcs"), s("DescribeNetworkInterfaces"),
             s("DescribeVolumes"), s("DescribeSubnets")]
    org.behaviours["config_slr"] = world.add(ServiceLinked(world, cfg, "config.amazonaws.com", regions, steps,
                                                           every_hours=6, session_name="AWSConfig-Describe"))
    gd = world.principal(org.account, "role", "AWSServiceRoleForAmazonGuardDuty", path % "guardduty.amazonaws.com")
    steps = [s("DescribeInstances"), s("DescribeImages"), s("DescribeVpcEndpoints")]
    org.behaviours["guardduty_slr"] = world.add(ServiceLinked(world, gd, "guardduty.amazonaws.com", regions, steps,
                                                              every_hours=12, session_name="GuardDuty"))
