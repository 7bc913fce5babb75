"""Attack scenarios injected into a benign world. Each function adds its calls to the
world, tags them ("attack:<name>", "step:<name>:<step>") and returns an `Attack`
describing identity keys, steps and the detectors expected to fire.
"""

from .clients import Client
from .core import MIN, SEC, rng, uuid4
from .identity import WebIdentitySession
from .population import ATTACKER_BLOCKS, block_prefix
from .render import Call


class Attack:
    def __init__(self, name, account, description):
        self.name = name
        self.account = account
        self.description = " ".join(description.split())
        self.identity_keys = []
        self.steps = []  # (step name, [detectors], description)
        self.expected = []

    @property
    def tag(self):
        return "attack:" + self.name

    def step(self, name, detectors, description):
        self.steps.append((name, list(detectors), description))
        for d in detectors:
            if d not in self.expected:
                self.expected.append(d)
        return (self.tag, "step:%s:%s" % (self.name, name))


class Actor:
    """Makes the attacker's calls with its own RNG (so the background is untouched)."""

    def __init__(self, world, attack, account):
        self.world, self.attack, self.account = world, attack, account
        self.r = rng(world.seed, "attack", attack.name, account)
        self.calls = []

    def call(self, t, session, api, args=None, ip="", client=None, region="us-east-1", error=None, tags=()):
        c = Call(t, self.account, session, api, args, ip, client, region, error, tags, uuid4(self.r))
        self.calls.append(c)
        return c

    def series(self, t, session, items, ip, client, tags, gap=(300, 4000), region="us-east-1"):
        """items: [(api, args, error)]; returns the time after the last call."""
        for api, args, error in items:
            self.call(t, session, api, args, ip, client, region, error, tags)
            t += self.r.randint(*gap)
        return t

    def done(self):
        self.world.inject(self.calls)
        return self.attack


def attacker_ip(r, blocks=ATTACKER_BLOCKS):
    return "%s.%d" % (block_prefix(r, blocks), r.randint(2, 253))


def ai_workflow_compromise(world, org, t0):
    """A Langflow server's instance-profile role is used by code injected through the app:
    identity probing, secret and parameter harvesting, then the stolen session key is used
    from the internet (LLMjacking on Bedrock)."""
    a = Attack("ai_workflow_compromise", org.account, ai_workflow_compromise.__doc__.strip())
    lf = org.behaviours["langflow"]
    a.identity_keys = [lf.p.key]
    act = Actor(world, a, org.account)
    r, res = act.r, org.res
    sess = lf.session_at(t0)
    ip = lf.net.ips[0]
    curl = Client("curl", 4)
    cli = Client("awscli", 31, minor=15, host={"kernel": "5.10.210-201.852.amzn2.x86_64"})
    t = t0
    tags = a.step("recon", ["identity.new_api", "identity.new_user_agent"],
                  "GetCallerIdentity with curl --aws-sigv4 then aws-cli, from the server's own NAT address")
    act.call(t, sess, "GetCallerIdentity", None, ip, curl, tags=tags)
    t += 38 * SEC
    act.call(t, sess, "GetCallerIdentity", None, ip, cli, tags=tags)
    t += 20 * SEC
    tags = a.step("secrets_harvest", ["secrets.enumeration", "identity.new_api"],
                  "ListSecrets, then GetSecretValue on 36 distinct secrets in about four minutes (5 denied, "
                  "31 read)")
    act.call(t, sess, "ListSecrets", {"page": 0}, ip, cli, tags=tags)
    t += 1400
    act.call(t, sess, "ListSecrets", {"page": 1}, ip, cli, tags=tags)
    names = [n for n in res.secret_names if n != "prod/langflow/app-secrets"][:36]
    denied = set(r.sample(range(1, len(names)), 5))
    for i, name in enumerate(names):
        t += r.randint(3000, 9000)
        act.call(t, sess, "GetSecretValue", {"secret": name}, ip, cli, error="denied" if i in denied else None,
                 tags=tags)
    t += 40 * SEC
    tags = a.step("parameters_harvest", ["identity.new_api", "identity.new_user_agent"],
                  "A Python script (requests + SigV4 auth, user agent python-requests) calls SSM "
                  "DescribeParameters, GetParametersByPath /prod recursively with decryption, GetParameter(s)")
    req = Client("requests", 31)
    t = act.series(t, sess, [("DescribeParameters", None, None)] +
                   [("GetParametersByPath", {"path": "/prod", "page": p}, None) for p in range(3)] +
                   [("GetParameter", {"name": n}, None) for n in res.parameters[1:30:6]] +
                   [("GetParameters", {"names": res.parameters[40:44]}, None)], ip, req, tags)
    t = t0 + 27 * MIN
    ext = attacker_ip(r, [b for b in ATTACKER_BLOCKS if b[0] == 45])
    kali = Client("awscli-kali", 30, minor=15)
    tags = a.step("credential_use_outside", ["credentials.exfiltration", "identity.new_source"],
                  "The same ASIA session key used from an internet address (%s): identity check, S3 listing, "
                  "Bedrock model listing and invocations (LLMjacking)" % ext)
    items = [("GetCallerIdentity", None, None), ("ListBuckets", None, None),
             ("ListFoundationModels", None, None),
             ("GetFoundationModelAvailability", {"model": "anthropic.claude-3-opus-20240229-v1:0"}, None)]
    items += [("InvokeModel", {"model": "anthropic.claude-3-opus-20240229-v1:0"}, None) for _ in range(9)]
    items += [("GetSecretValue", {"secret": names[0]}, None), ("GetSecretValue", {"secret": names[2]}, None)]
    act.series(t, sess, items, ext, kali, tags, gap=(2000, 20000))
    return act.done()


def public_app_pivot(world, org, t0):
    """A public web app's instance role, reached through an app vulnerability, maps the
    account, chains into an admin role it never used, creates a backdoor user with an access
    key, console password and AdministratorAccess, and opens the admin role's trust to an
    external account."""
    a = Attack("public_app_pivot", org.account, public_app_pivot.__doc__.strip())
    sf = org.behaviours["storefront"]
    admin = org.roles["platform-admin"]
    acct = org.account
    backdoor = world.principal(acct, "user", "svc-metrics-exporter")
    a.identity_keys = [sf.p.key, admin.key, backdoor.key]
    act = Actor(world, a, acct)
    r, res = act.r, org.res
    sess = sf.session_at(t0, sf.names[0])
    ip = sf.net.ips[0]
    cli = Client("awscli", 27, minor=15)
    D = "denied"
    nsbp = ("NoSuchBucketPolicy", "The bucket policy does not exist")
    tags = a.step("recon", ["identity.new_api", "identity.new_user_agent"],
                  "GetCallerIdentity with aws-cli from the web server (the app itself uses the Java SDK)")
    act.call(t0, sess, "GetCallerIdentity", None, ip, cli, tags=tags)
    tags = a.step("discovery", ["discovery.burst", "identity.new_api"],
                  "About 40 distinct List/Describe/Get calls across IAM, EC2, S3, Lambda, RDS, "
                  "Secrets Manager and SSM in seven minutes, several AccessDenied")
    b = sorted(res.buckets)
    items = [("ListUsers", None, None), ("ListRoles", None, None), ("ListPolicies", None, None),
             ("ListGroups", None, D), ("GetAccountAuthorizationDetails", None, D), ("GetAccountSummary", None, D),
             ("ListAttachedRolePolicies", {"roleName": "storefront-web"}, None),
             ("ListRolePolicies", {"roleName": "storefront-web"}, None),
             ("GetRolePolicy", {"roleName": "storefront-web", "policyName": "storefront-inline"}, None),
             ("GetRole", {"roleName": "platform-admin"}, None),
             ("ListAttachedRolePolicies", {"roleName": "platform-admin"}, None),
             ("DescribeInstances", None, None), ("DescribeSecurityGroups", None, None), ("DescribeVpcs", None, None),
             ("DescribeSubnets", None, None), ("DescribeSnapshots", None, D), ("DescribeRegions", None, None),
             ("DescribeKeyPairs", None, D), ("DescribeImages", None, None), ("ListBuckets", None, None),
             ("GetBucketPolicy", {"bucket": b[0]}, nsbp), ("GetBucketPolicy", {"bucket": b[3]}, D),
             ("GetBucketAcl", {"bucket": b[3]}, D), ("GetBucketPolicy", {"bucket": b[5]}, nsbp),
             ("ListFunctions20150331", None, None), ("GetFunction20150331v2", {"function": "log-archiver"}, None),
             ("GetFunction20150331v2", {"function": "webhook-dispatcher"}, None),
             ("GetPolicy20150331v2", {"function": "webhook-dispatcher"}, D), ("ListLayers20181031", None, None),
             ("DescribeDBInstances", None, D), ("DescribeDBClusters", None, D), ("DescribeDBSnapshots", None, D),
             ("ListSecrets", None, D), ("DescribeParameters", None, D), ("ListTables", None, D),
             ("ListKeys", None, None), ("ListAliases", None, None), ("DescribeTrails", None, D),
             ("ListDetectors", None, D), ("ListClusters", None, None), ("DescribeLogGroups", None, None)]
    t = act.series(t0 + 25 * SEC, sess, items, ip, cli, tags, gap=(2000, 14000))
    tags = a.step("role_chain", ["identity.role_chain", "identity.new_api"],
                  "AssumeRole from the web app's session into platform-admin, a role it had never assumed")
    admin_sess = admin.session("storefront-maint", 0, t + 2 * MIN)
    t += 2 * MIN
    act.call(t, sess, "AssumeRole", {"new_session": admin_sess, "duration": 3600}, ip, cli, tags=tags)
    t += 20 * SEC
    user = backdoor.name
    tags = a.step("admin_session_new_source", ["identity.new_source"],
                  "platform-admin used from the web app's NAT address, where its admins never come from")
    act.call(t, admin_sess, "GetCallerIdentity", None, ip, cli, tags=tags)
    t += 15 * SEC
    act.call(t, admin_sess, "ListUsers", None, ip, cli, tags=tags)
    t += 30 * SEC
    for step, det, desc, api, args in [
        ("create_user", ["persistence.iam_user_created"], "CreateUser svc-metrics-exporter", "CreateUser", {"user": user}),
        ("access_key", ["persistence.access_key_for_other_user"], "CreateAccessKey for the new user",
         "CreateAccessKey", {"user": user, "access_key": backdoor.user_session().access_key}),
        ("admin_policy", ["privesc.admin_policy"], "AttachUserPolicy AdministratorAccess", "AttachUserPolicy",
         {"user": user, "policy": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        ("login_profile", ["persistence.login_profile"], "CreateLoginProfile (console password) for the new user",
         "CreateLoginProfile", {"user": user}),
        ("trust_external", ["persistence.role_trust_external"],
         "UpdateAssumeRolePolicy on platform-admin trusting arn:aws:iam::999988887777:root", "UpdateAssumeRolePolicy",
         {"role": "platform-admin", "principals": ["arn:aws:iam::%s:root" % acct, "arn:aws:iam::999988887777:root"]}),
    ]:
        act.call(t, admin_sess, api, args, ip, cli, tags=a.step(step, det, desc))
        t += r.randint(8, 40) * SEC
    ext = attacker_ip(r)
    tags = a.step("backdoor_use", [], "The backdoor user's new access key used from %s an hour later "
                                     "(a brand-new identity: no baseline to compare with)" % ext)
    act.series(t + 58 * MIN, backdoor.user_session(), [("GetCallerIdentity", None, None), ("ListBuckets", None, None)],
               ext, Client("awscli-kali", 30, minor=15), tags)
    return act.done()


def leaked_user_key(world, org, t0):
    """A developer's long-lived AKIA key (normally aws-cli from the office in working hours) is
    used at night from a new network with a different SDK: bucket listing, a burst of object
    downloads, then large GPU instances launched in a region the account never uses."""
    a = Attack("leaked_user_key", org.account, leaked_user_key.__doc__.strip())
    u = org.users["d.okafor"]
    a.identity_keys = [u.key]
    act = Actor(world, a, org.account)
    r, res = act.r, org.res
    sess = u.user_session()
    ip = attacker_ip(r)
    boto = Client("boto3", 28, minor=34, host={"kernel": "6.6.9-amd64", "python": "3.11.8"})
    tags = a.step("recon", ["identity.new_source", "identity.new_user_agent"],
                  "GetCallerIdentity and ListBuckets at night from %s with Boto3 (the user only ever used aws-cli "
                  "from the office)" % ip)
    t = act.series(t0, sess, [("GetCallerIdentity", None, None), ("ListBuckets", None, None)], ip, boto, tags)
    tags = a.step("bulk_download", ["identity.volume_spike"],
                  "ListObjects on the customer-exports bucket then GetObject on 420 distinct keys in ~12 minutes")
    t = act.series(t, sess, [("ListObjects", {"bucket": "exports", "prefix": "exports/customers/"}, None)] * 3,
                   ip, boto, tags)
    for key in res.object_keys["exports"][:420]:
        act.call(t, sess, "GetObject", {"bucket": "exports", "key": key, "size": r.randint(2_000_000, 40_000_000)},
                 ip, boto, tags=tags)
        t += r.randint(400, 3000)
    region = "ap-southeast-3"
    tags = a.step("gpu_launch", ["identity.unusual_region", "identity.new_api"],
                  "DescribeRegions, then in %s (never used by the account): key pair import, an SSH-open security "
                  "group and RunInstances of p4d.24xlarge / g5.12xlarge (two refused by vCPU limits)" % region)
    t += 3 * MIN
    act.call(t, sess, "DescribeRegions", None, ip, boto, tags=tags)
    sg = "sg-0" + "".join(r.choice("0123456789abcdef") for _ in range(16))
    vcpu = ("Client.VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU limit of 0 "
            "allows for the instance bucket that the specified instance type belongs to. Please visit "
            "http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.")
    items = [("DescribeInstanceTypes", {"instance_type": "p4d.24xlarge"}, None), ("DescribeImages", None, None),
             ("ImportKeyPair", {"key_name": "ops-recovery"}, None),
             ("CreateSecurityGroup", {"name": "ops-recovery", "group_id": sg}, None),
             ("AuthorizeSecurityGroupIngress", {"group_id": sg}, None),
             ("RunInstances", {"instance_type": "p4d.24xlarge", "count": 4, "key_name": "ops-recovery", "group_id": sg}, vcpu),
             ("RunInstances", {"instance_type": "p4d.24xlarge", "count": 1, "key_name": "ops-recovery", "group_id": sg}, vcpu),
             ("RunInstances", {"instance_type": "g5.12xlarge", "count": 2, "key_name": "ops-recovery", "group_id": sg}, None),
             ("RunInstances", {"instance_type": "g5.12xlarge", "count": 2, "key_name": "ops-recovery", "group_id": sg}, None),
             ("DescribeInstances", None, None)]
    act.series(t + 40 * SEC, sess, items, ip, boto, tags, region=region, gap=(3000, 25000))
    return act.done()


def ci_low_and_slow(world, org, t0, hours=26):
    """A poisoned scheduled workflow in the CI role reads one secret it never read before every
    hour for a day, from the usual runners with the usual tool: only the slow growth of
    distinct secrets gives it away."""
    a = Attack("ci_low_and_slow", org.account, ci_low_and_slow.__doc__.strip())
    ci = org.behaviours["ci"]
    a.identity_keys = [ci.p.key]
    act = Actor(world, a, org.account)
    r, res = act.r, org.res
    carrier = a.step("scheduled_run", [], "The injected schedule's own runs: an identity check right after the OIDC "
                                          "sign-in (AssumeRoleWithWebIdentity by the GitHub web identity, not labelled), "
                                          "indistinguishable from ordinary runs")
    tags = a.step("secret_read", ["secrets.enumeration"],
                  "GetSecretValue on one new secret per hour, %d distinct secrets over %d hours" % (hours, hours))
    normal = {"ci/npm-token", "ci/dockerhub-token", "ci/sonarcloud-token"}
    names = [n for n in res.secret_names[8:] if n not in normal][:hours]
    web = WebIdentitySession(org.account, "repo:acme/storefront:ref:refs/heads/main")
    run = 9_100_000_000
    for i, name in enumerate(names):
        t = t0 + i * 60 * MIN + r.randint(0, 4 * MIN)
        run += r.randint(40, 400)
        sess = ci.p.session("GitHubActions", run, t)
        ip = ci.net.ips[i % len(ci.net.ips)]
        act.call(t, web, "AssumeRoleWithWebIdentity", {"new_session": sess}, ip, ci.js)
        act.call(t + 3 * SEC, sess, "GetCallerIdentity", None, ip, ci.client, tags=carrier)
        act.call(t + r.randint(20, 90) * SEC, sess, "GetSecretValue", {"secret": name}, ip, ci.client, tags=tags)
    return act.done()


def logging_disabled(world, org, t0):
    """A Lambda function's role (function code replaced) blinds the account: stops and deletes
    the account trail, disables and deletes GuardDuty detectors, stops AWS Config, deletes VPC
    flow logs and Bedrock model-invocation logging."""
    a = Attack("logging_disabled", org.account, logging_disabled.__doc__.strip())
    la = org.behaviours["log_archiver"]
    a.identity_keys = [la.p.key]
    act = Actor(world, a, org.account)
    res = org.res
    sess = la.session_at(t0)
    ip = la.net.ips[0]
    cli = la.client
    home = res.home
    second = res.regions[1] if len(res.regions) > 1 else home
    tags = a.step("recon", ["identity.new_api"], "DescribeTrails, GetTrailStatus, ListDetectors, "
                                                 "DescribeConfigurationRecorders, DescribeFlowLogs, Bedrock logging config")
    t = act.series(t0, sess, [("DescribeTrails", None, None), ("GetTrailStatus", None, None),
                              ("ListDetectors", None, None), ("DescribeConfigurationRecorders", None, None),
                              ("DescribeFlowLogs", None, None), ("GetModelInvocationLoggingConfiguration", None, None)],
                   ip, cli, tags, gap=(200, 900), region=home)
    steps = [
        ("cloudtrail", ["evasion.cloudtrail_tampering", "identity.new_api"], "StopLogging then DeleteTrail on the account trail",
         [("StopLogging", None, home), ("DeleteTrail", None, home)]),
        ("guardduty", ["evasion.guardduty_disabled", "identity.new_api"],
         "GuardDuty UpdateDetector enable=false, then DeleteDetector in both regions",
         [("UpdateDetector", None, home), ("DeleteDetector", None, home), ("DeleteDetector", None, second)]),
        ("config", ["evasion.config_disabled", "identity.new_api"], "StopConfigurationRecorder in both regions",
         [("StopConfigurationRecorder", None, home), ("StopConfigurationRecorder", None, second)]),
        ("flow_logs", ["evasion.flow_logs_deleted", "identity.new_api"], "DeleteFlowLogs on both VPC flow logs",
         [("DeleteFlowLogs", {"flow_log": fl}, home) for fl in res.flow_logs[home]]),
        ("bedrock_logging", ["evasion.bedrock_logging_deleted", "identity.new_api"],
         "DeleteModelInvocationLoggingConfiguration", [("DeleteModelInvocationLoggingConfiguration", None, home)]),
    ]
    for name, det, desc, items in steps:
        tags = a.step(name, det, desc)
        for api, args, region in items:
            t += act.r.randint(300, 1500)
            act.call(t, sess, api, args, ip, cli, region, None, tags)
    return act.done()


ATTACKS = {f.__name__: f for f in (ai_workflow_compromise, public_app_pivot, leaked_user_key, ci_low_and_slow,
                                    logging_disabled)}
