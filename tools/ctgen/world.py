"""The world: accounts, principals, behaviours and injected calls, generated hour by hour
into the S3 delivery layout. Memory stays flat: only one hour of calls (plus the
few open 5-minute windows) is held at a time.
"""

from .core import DAY, HOUR, compact_json, derived_uuid, parse_day, rng
from .delivery import Delivery
from .identity import Principal
from .render import Call, Renderer, companion_eid
from .clients import service_client
from .resources import AccountResources


class Result:
    """What a generation run produced: counts, files, and event ids per tag."""

    def __init__(self):
        self.events = 0
        self.by_tag = {}  # tag -> [(t, eid, identity key)]
        self.by_identity = {}
        self.delivery = None

    def eids(self, tag):
        return [e for _, e, _ in sorted(self.by_tag.get(tag, []))]


class World:
    def __init__(self, seed, start_day, days, accounts, org="acme"):
        """accounts: {account id: [regions]} (first region is the account's home)."""
        self.seed = seed
        self.start = parse_day(start_day)
        self.days = days
        self.end = self.start + int(days * DAY)
        self.accounts = dict(accounts)
        self.resources = {a: AccountResources(seed, a, regs, org) for a, regs in accounts.items()}
        self.behaviours = []
        self.injected = []
        self.principals = {}
        self._services = {}

    # -- population ------------------------------------------------------
    def principal(self, account, kind, name, path=""):
        p = Principal(self.seed, account, kind, name, path)
        return self.principals.setdefault(p.key, p)

    def service(self, name):
        p = self._services.get(name)
        if p is None:
            p = self._services[name] = Principal(self.seed, "", "service", name)
        return p

    def add(self, behaviour):
        self.behaviours.append(behaviour)
        return behaviour

    def inject(self, calls):
        self.injected.extend(calls)

    def day(self, n, hour=0, minute=0, second=0):
        """Absolute ms of day n (0-based) at hh:mm:ss UTC."""
        return self.start + n * DAY + hour * HOUR + minute * 60000 + second * 1000

    # -- generation ------------------------------------------------------
    def generate(self, out_dir, delivery=None, progress=None, **delivery_kw):
        d = delivery or Delivery(out_dir, self.seed, home_region=self._home(), **delivery_kw)
        renderer = Renderer(self.resources, rng(self.seed, "render"))
        res = Result()
        res.delivery = d
        injected = sorted(self.injected, key=lambda c: c.t)
        j = 0
        for h0 in range(self.start, self.end, HOUR):
            calls = []
            for b in self.behaviours:
                calls.extend(b.hour(h0))
            while j < len(injected) and injected[j].t < h0 + HOUR:
                calls.append(injected[j])
                j += 1
            calls = self._expand(calls)
            for i, c in enumerate(calls):
                c.seq = i
            calls.sort(key=Call.sort_key)
            for c in calls:
                if c.t >= self.end:
                    continue
                rec = renderer.render(c)
                d.add(c.t, c.account, rec["awsRegion"], c.eid, compact_json(rec).encode())
                self._count(res, c)
            d.flush_before(h0 + HOUR)
            if progress:
                progress(h0, d)
        d.close(self.start, self.end, self.accounts)
        return res

    def _home(self):
        return next(iter(self.accounts.values()))[0]

    def _count(self, res, c):
        res.events += 1
        p = getattr(c.session, "principal", None)
        key = p.key if p is not None else "other"
        res.by_identity[key] = res.by_identity.get(key, 0) + 1
        for tag in c.tags:
            res.by_tag.setdefault(tag, []).append((c.t, c.eid, key))

    def _expand(self, calls):
        """Add the service-side events a call causes (Secrets Manager decrypting with KMS)."""
        extra = []
        for c in calls:
            if c.api == "GetSecretValue" and c.error is None and c.args and c.args.get("secret"):
                arn = self.resources[c.account].secrets.get(c.args["secret"])
                if arn is None:
                    continue
                svc = "secretsmanager.amazonaws.com"
                ctx = {"SecretARN": arn, "SecretVersionId": derived_uuid(arn + ":AWSCURRENT")}
                extra.append(Call(c.t + 15 + int(c.eid[:2], 16), c.account, c.session, "Decrypt",
                                  {"key": self.resources[c.account].kms["secrets"], "context": ctx}, svc,
                                  service_client(svc), c.region, None, c.tags, companion_eid(c, "kms"),
                                  invoked_by=svc))
        return calls + extra
