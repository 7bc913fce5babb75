"""Benign behaviour archetypes. Each produces the calls of one principal hour by hour.

Every archetype keeps a stable profile (user-agent family, a couple of NAT
addresses, a small API repertoire, a rate with a daily rhythm) and supports
scheduled drift (SDK bumps, a NAT address change, an API added by a deploy, a
new person on a shared SSO role) tagged so labels can point at it.
"""

from .clients import Client, service_client
from .core import DAY, HOUR, MIN, SEC, hour_of_day, poisson, rng, uuid4, weekday, weighted
from .identity import AccountSession, ServiceSession, WebIdentitySession
from .render import Call

PROFILES = {
    "flat": [1.0] * 24,
    "business": [.3, .25, .2, .2, .2, .25, .4, .7, 1, 1.2, 1.3, 1.3, 1.2, 1.3, 1.3, 1.2, 1.1, .9, .7, .6, .5, .45, .4, .35],
    "work": [0, 0, 0, 0, 0, 0, 0, .3, 1, 1.3, 1.3, 1.1, .6, 1.1, 1.3, 1.2, 1, .6, .2, .05, 0, 0, 0, 0],
}


class Net:
    """Source addresses of one principal: a few addresses (NAT gateways, an office), with scheduled moves."""

    def __init__(self, ips, weights=None):
        self.ips = list(ips)
        self.weights = list(weights) if weights else [1.0] * len(self.ips)
        self.moves = []  # (from_t, old, new, tag)

    def move(self, t, old, new, tag=None):
        self.moves.append((t, old, new, tag))
        return self

    def ip(self, r, t):
        ip = self.ips[0] if len(self.ips) == 1 else weighted(r, list(zip(self.weights, self.ips)))
        for at, old, new, tag in self.moves:
            if t >= at and ip == old:
                return new, tag
        return ip, None


class Step:
    """One API call in a script. args: dict or callable(r) -> dict; error: probability of AccessDenied."""

    __slots__ = ("api", "args", "error", "repeat", "region", "fail")

    def __init__(self, api, args=None, error=0.0, repeat=(1, 1), region=None, fail=None):
        self.api, self.args, self.error, self.repeat, self.region = api, args, error, repeat, region
        self.fail = fail  # (errorCode, errorMessage) instead of AccessDenied

    def at(self, region):
        return Step(self.api, self.args, self.error, self.repeat, region, self.fail)


class Script:
    """Steps run back to back by one request/job; `since` gates a script added by a later deploy."""

    def __init__(self, weight, steps, since=None, tag=None):
        self.weight, self.steps, self.since, self.tag = weight, steps, since, tag


class Behaviour:
    def __init__(self, world, principal, client, net, region):
        self.world = world
        self.p = principal
        self.account = principal.account
        self.client = client
        self.net = net
        self.region = region
        self.r = rng(world.seed, "behaviour", principal.key)
        self.bump_tag = None  # tag for calls made after the client's first version bump
        self.tag_after = None  # (t, tag): tag every call from t on (labels point at benign drift)

    def hour(self, h0):
        return []

    def call(self, t, session, api, args=None, region=None, error=None, tags=(), ip=None, client=None, **kw):
        r = self.r
        if ip is None:
            ip, move_tag = self.net.ip(r, t)
            if move_tag:
                tags = tags + (move_tag,)
        client = client or self.client
        if self.bump_tag and client is self.client and client.bumped_at(t):
            tags = tags + (self.bump_tag,)
        if self.tag_after and t >= self.tag_after[0]:
            tags = tags + (self.tag_after[1],)
        return Call(t, self.account, session, api, args, ip, client, region or self.region, error, tags,
                    uuid4(r), **kw)

    def run_steps(self, t, session, steps, tags=(), gap=(80, 2500), **kw):
        """Calls for a list of steps starting at t; returns (calls, end time)."""
        r, out = self.r, []
        for st in steps:
            n = st.repeat[0] if st.repeat[0] == st.repeat[1] else r.randint(*st.repeat)
            for _ in range(n):
                args = st.args(r) if callable(st.args) else st.args
                err = (st.fail or "denied") if st.error and r.random() < st.error else None
                out.append(self.call(t, session, st.api, args, region=st.region, error=err, tags=tags, **kw))
                t += r.randint(*gap)
        return out, t

    def pick_script(self, scripts, t):
        live = [(s.weight, s) for s in scripts if s.since is None or t >= s.since]
        return weighted(self.r, live)

    def rate_factor(self, profile, h0, tz=0, weekend=1.0):
        f = PROFILES[profile][hour_of_day(h0, tz)]
        if weekday(h0, tz) >= 5:
            f *= weekend
        return f


class Workload(Behaviour):
    """A role used by a running program: instance profile, ECS task or Lambda function.

    sessions: ("instance", [instance ids]) / ("task", [task ids]) / ("lambda", [function name]);
    credentials rotate every `period` and, for instance profiles and Lambda, the service's
    own AssumeRole is logged (AWSService identity) when they do.
    """

    def __init__(self, world, principal, client, net, region, sessions, scripts, rate, profile="business",
                 weekend=0.7, cron=(), period=6 * HOUR, burst=(1, 1)):
        super().__init__(world, principal, client, net, region)
        self.kind, self.names = sessions
        self.scripts = scripts
        self.rate = rate
        self.profile = profile
        self.weekend = weekend
        self.cron = list(cron)  # [(every_hours, phase_hour, minute, Script, client or None)]
        self.period = period
        self.offset = self.r.randrange(period)
        self.burst = burst  # requests arrive in bursts (a user working a flow), so files stay few and full
        self.assumer = {"instance": "ec2.amazonaws.com", "lambda": "lambda.amazonaws.com",
                        "task": "ecs-tasks.amazonaws.com", "user": None}[self.kind]

    def session_at(self, t, name=None):
        if self.kind == "user":
            return self.p.user_session()
        name = name or self.names[0]
        return self.p.periodic_session(name, t, self.period, self.offset, ec2=self.kind == "instance")

    def hour(self, h0):
        r, out = self.r, []
        for name in self.names if self.assumer else ():
            first = (h0 - self.offset) // self.period + 1
            start = self.offset + first * self.period
            if h0 <= start < h0 + HOUR:
                out.append(self.service_assume(start - r.randint(200, 3000), self.session_at(start, name)))
        mean_burst = (self.burst[0] + self.burst[1]) / 2.0
        n = poisson(r, self.rate * self.rate_factor(self.profile, h0, weekend=self.weekend) / mean_burst)
        for _ in range(n):
            t = h0 + r.randrange(HOUR)
            for _ in range(r.randint(*self.burst)):
                script = self.pick_script(self.scripts, t)
                sess = self.session_at(t, self.names[r.randrange(len(self.names))] if self.names else None)
                calls, _ = self.run_steps(t, sess, script.steps, tags=(script.tag,) if script.tag else ())
                out.extend(calls)
                t += r.randint(5, 60) * SEC
        for every, phase, minute, script, client in self.cron:
            if (h0 // HOUR - phase) % every == 0:
                t = h0 + minute * MIN + r.randrange(40 * SEC)
                calls, _ = self.run_steps(t, self.session_at(t), script.steps, client=client)
                out.extend(calls)
        return out

    def service_assume(self, t, session):
        svc = self.world.service(self.assumer)
        return Call(t, self.account, ServiceSession(svc), "AssumeRole",
                    {"new_session": session, "duration": 21600 if self.kind == "instance" else 3600},
                    self.assumer, service_client(self.assumer), self.region, None, (), uuid4(self.r))


class Human:
    """One person on a shared SSO role (or the owner of an IAM user's access key)."""

    def __init__(self, email, net, browser="chrome-mac", cli=None, pages=(), commands=(), sessions_per_day=1.5,
                 console_share=0.7, tz=1, since=None, tag=None, region="us-east-1", weekend=0.05):
        self.email, self.net, self.browser, self.cli = email, net, browser, cli
        self.pages, self.commands = list(pages), list(commands)
        self.sessions_per_day, self.console_share = sessions_per_day, console_share
        self.tz, self.since, self.tag, self.region, self.weekend = tz, since, tag, region, weekend
        self.console = Client("console", 692, host={"browser": browser, "browser_version": 124})
        self.internal = service_client("AWS Internal")  # some console calls log only "AWS Internal"
        self.count = 0
        self.picks = {}  # the first picks walk the whole repertoire, so habits are seen early (as in real life)

    def choose(self, r, items, which):
        n = self.picks.get(which, 0)
        self.picks[which] = n + 1
        if n < len(items):
            return items[n]
        return items[r.randrange(len(items))]

    def source(self, r, t):
        if self.count <= len(self.net.ips):
            return self.net.ips[self.count - 1]
        return self.net.ip(r, t)[0]


class People(Behaviour):
    """Humans behind one principal: SSO role sessions (console + CLI) or an IAM user's key (CLI)."""

    def __init__(self, world, principal, humans, denied=0.01, via=None):
        super().__init__(world, principal, None, None, humans[0].region)
        self.humans = humans
        self.denied = denied
        self.via = via  # role the humans come from (SSO role -> this role, a normal role chain)

    def hour(self, h0):
        r, out = self.r, []
        day = (h0 - self.world.start) // DAY
        for i, hu in enumerate(self.humans):
            if hu.since is not None and h0 < hu.since:
                continue
            weights = PROFILES["work"]
            lam = hu.sessions_per_day * self.rate_factor("work", h0, hu.tz, hu.weekend) / sum(weights)
            for _ in range(poisson(r, lam)):
                out.extend(self.session(hu, h0 + r.randrange(HOUR)))
            # Onboarding: three sessions in the first days walk the person's whole repertoire (both networks,
            # every console page, every CLI command), so what they do later was seen while baselines learned.
            if hu.since is None and day < 3 and hour_of_day(h0, hu.tz) == 9 + i % 6:
                mode = "cli" if day == 2 or not hu.pages or self.p.kind == "user" else "console"
                out.extend(self.session(hu, h0 + r.randrange(50 * MIN), mode=mode, walk=True))
        return out

    def session(self, hu, t, mode=None, walk=False):
        r = self.r
        hu.count += 1
        tags = (hu.tag,) if hu.tag else ()
        ip = hu.source(r, t)
        user = self.p.kind == "user"
        console = mode == "console" if mode else (not user and r.random() < hu.console_share and hu.pages)
        if console:
            sess = self.p.session(hu.email, hu.count, t)
            out = [self.call(t, sess, "ConsoleLogin", {"mfa": "No"}, region="us-east-1", ip=ip, client=hu.console,
                             tags=tags)]
            t += r.randint(2, 9) * SEC
            for _ in range(len(hu.pages) if walk else r.randint(2, 6)):
                page = hu.choose(r, hu.pages, "pages")
                for api, args in page(r):
                    src = "AWS Internal" if r.random() < 0.08 else ip
                    ua = hu.internal if r.random() < 0.15 and api != "ListBuckets" else hu.console
                    err = "denied" if r.random() < self.denied else None
                    out.append(self.call(t, sess, api, args, region=hu.region, ip=src, client=ua,
                                         console=True, tags=tags, error=err))
                    t += r.randint(60, 900)
                t += r.randint(5, 180) * SEC
            return out
        sess = self.p.user_session() if user else self.p.session(hu.email, hu.count, t)
        out = []
        if self.via is not None:
            src = self.via.session(hu.email, hu.count, t - r.randint(60, 3000) * SEC)
            out.append(self.call(t, src, "AssumeRole", {"new_session": sess, "duration": 3600}, region=hu.region,
                                 ip=ip, client=hu.cli, tags=tags))
            t += r.randint(1, 5) * SEC
        for _ in range(len(hu.commands) if walk else r.randint(1, 4)):
            cmd = hu.choose(r, hu.commands, "commands")
            for api, args in cmd(r):
                err = "denied" if r.random() < self.denied else None
                out.append(self.call(t, sess, api, args, region=hu.region, ip=ip, client=hu.cli, tags=tags, error=err))
                t += r.randint(150, 1500)
            t += r.randint(10, 600) * SEC
        return out


class Pipeline(Behaviour):
    """CI role assumed through GitHub Actions OIDC; some runs chain into a Terraform role."""

    def __init__(self, world, principal, client, net, region, subject, build, runs_per_day=8, terraform=None,
                 tf_share=0.3, secrets=()):
        super().__init__(world, principal, client, net, region)
        self.subject = subject
        self.build = build  # [Step]
        self.runs_per_day = runs_per_day
        self.terraform = terraform  # (role Principal, Client, plan steps, apply steps)
        self.tf_share = tf_share
        self.js = Client("js", 540)
        self.web = WebIdentitySession(principal.account, subject)
        self.run_id = 7_000_000_000 + self.r.randrange(10_000_000)

    def hour(self, h0):
        r, out = self.r, []
        lam = self.runs_per_day * self.rate_factor("work", h0, 1, 0.1) / sum(PROFILES["work"])
        if hour_of_day(h0) == 2:
            lam += 1.0  # nightly build
        for _ in range(poisson(r, lam)):
            out.extend(self.run(h0 + r.randrange(HOUR)))
        return out

    def run(self, t):
        r = self.r
        self.run_id += r.randint(1, 400)
        sess = self.p.session("GitHubActions", self.run_id, t)
        out = [self.call(t, self.web, "AssumeRoleWithWebIdentity", {"new_session": sess}, client=self.js)]
        t += r.randint(1, 4) * SEC
        calls, t = self.run_steps(t, sess, self.build, gap=(200, 8000))
        out.extend(calls)
        if self.terraform and r.random() < self.tf_share:
            role, tf_client, plan, apply_ = self.terraform
            tf_sess = role.session("terraform-run-%d" % self.run_id, 0, t)
            out.append(self.call(t, sess, "AssumeRole", {"new_session": tf_sess, "duration": 3600}))
            t += r.randint(1, 3) * SEC
            steps = plan + (apply_ if r.random() < 0.35 else [])
            calls, t = self.run_steps(t, tf_sess, steps, gap=(30, 700), client=tf_client)
            out.extend(calls)
        return out


class Scanner(Behaviour):
    """A vendor's inventory role: assumed cross-account once a day, then broad List/Describe in every region."""

    def __init__(self, world, principal, client, net, regions, global_steps, regional_steps, vendor_account,
                 hour=2):
        super().__init__(world, principal, client, net, regions[0])
        self.regions = regions
        self.global_steps, self.regional_steps = global_steps, regional_steps
        self.vendor = vendor_account
        self.at_hour = hour
        self.vendor_role = "AROA" + "".join(self.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(17))

    def hour(self, h0):
        if hour_of_day(h0) != self.at_hour:
            return []
        r = self.r
        t = h0 + r.randint(3, 20) * MIN
        name = "cloudinv-%d" % (t // SEC)
        sess = self.p.session(name, 0, t)
        caller = AccountSession(self.vendor, "%s:%s" % (self.vendor_role, name))
        out = [self.call(t, caller, "AssumeRole", {"new_session": sess, "duration": 3600, "external_id": "inv-7781"},
                         shared_event_id=uuid4(r))]
        t += 2 * SEC
        calls, t = self.run_steps(t, sess, self.global_steps, gap=(40, 400))
        out.extend(calls)
        for reg in self.regions:
            steps = [st.at(reg) for st in self.regional_steps]
            calls, t = self.run_steps(t, sess, steps, gap=(40, 400))
            out.extend(calls)
        return out


class ServiceLinked(Behaviour):
    """A service-linked role (AWS Config, GuardDuty) calling Describe* on the account's behalf."""

    def __init__(self, world, principal, service, regions, steps, every_hours=2, session_name=None):
        super().__init__(world, principal, service_client(service), Net([service]), regions[0])
        self.service, self.regions, self.steps, self.every = service, regions, steps, every_hours
        self.session_name = session_name or service.split(".")[0]

    def hour(self, h0):
        if (h0 // HOUR) % self.every:
            return []
        r, out = self.r, []
        sess = self.p.periodic_session(self.session_name, h0, DAY)
        for reg in self.regions:
            t = h0 + r.randrange(50 * MIN)
            steps = [st.at(reg) for st in self.steps]
            calls, _ = self.run_steps(t, sess, steps, gap=(20, 300), invoked_by=self.service)
            out.extend(calls)
        return out
