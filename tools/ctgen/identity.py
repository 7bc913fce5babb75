"""Principals (IAM users, roles, root, AWS services) and their credential sessions.

`Principal.key` is the canonical identity key the scanner groups by: the user
ARN, the role ARN (never the session ARN), `arn:aws:iam::ACCT:root` or
`service:NAME`. Sessions are deterministic functions of (seed, principal,
session name, index), so an attack injected at time T can reuse exactly the
access key id the background used at T.
"""

from .core import HOUR, access_key_id, iso, rng, unique_id


class Session:
    """One set of credentials: an ASIA key for roles, the AKIA key for users."""

    __slots__ = ("principal", "name", "access_key", "created", "mfa", "ec2", "_ident", "_ident_by")

    def __init__(self, principal, name, access_key, created, mfa=False, ec2=False):
        self.principal = principal
        self.name = name
        self.access_key = access_key
        self.created = created
        self.mfa = mfa
        self.ec2 = ec2
        self._ident = None
        self._ident_by = {}

    @property
    def arn(self):
        p = self.principal
        if p.kind == "role":
            return "arn:aws:sts::%s:assumed-role/%s/%s" % (p.account, p.name, self.name)
        return p.arn

    def user_identity(self, invoked_by=None):
        """The `userIdentity` object (cached; callers must not mutate it)."""
        if invoked_by:
            d = self._ident_by.get(invoked_by)
            if d is None:
                d = dict(self.user_identity())
                d["invokedBy"] = invoked_by
                self._ident_by[invoked_by] = d
            return d
        if self._ident is None:
            self._ident = self._build()
        return self._ident

    def _build(self):
        p = self.principal
        if p.kind == "user":
            return {"type": "IAMUser", "principalId": p.unique_id, "arn": p.arn, "accountId": p.account,
                    "accessKeyId": self.access_key, "userName": p.name}
        if p.kind == "root":
            d = {"type": "Root", "principalId": p.account, "arn": p.arn, "accountId": p.account,
                 "accessKeyId": self.access_key}
            if self.access_key:
                d["sessionContext"] = {"attributes": {"creationDate": iso(self.created),
                                                      "mfaAuthenticated": "true" if self.mfa else "false"}}
            return d
        ctx = {"sessionIssuer": {"type": "Role", "principalId": p.unique_id, "arn": p.arn,
                                 "accountId": p.account, "userName": p.name},
               "webIdFederationData": {},
               "attributes": {"creationDate": iso(self.created), "mfaAuthenticated": "true" if self.mfa else "false"}}
        if self.ec2:
            ctx["ec2RoleDelivery"] = "2.0"
        return {"type": "AssumedRole", "principalId": "%s:%s" % (p.unique_id, self.name), "arn": self.arn,
                "accountId": p.account, "accessKeyId": self.access_key, "sessionContext": ctx}


class Principal:
    """An IAM user, role, the root user or an AWS service.

    kind: "user", "role", "root" or "service".
    path: IAM path for roles (e.g. "aws-reserved/sso.amazonaws.com/"), included in the role ARN only.
    """

    def __init__(self, seed, account, kind, name, path=""):
        self.seed = seed
        self.account = account
        self.kind = kind
        self.name = name
        self.path = path
        r = rng(seed, "principal", account, kind, name)
        if kind == "user":
            self.arn = "arn:aws:iam::%s:user/%s" % (account, name)
            self.unique_id = unique_id(r, "AIDA")
            self.key = self.arn
            self._user_session = Session(self, name, access_key_id(r, "AKIA"), 0)
        elif kind == "role":
            self.arn = "arn:aws:iam::%s:role/%s%s" % (account, path, name)
            self.unique_id = unique_id(r, "AROA")
            self.key = self.arn
        elif kind == "root":
            self.arn = "arn:aws:iam::%s:root" % account
            self.unique_id = account
            self.key = self.arn
        elif kind == "service":
            self.arn = ""
            self.unique_id = ""
            self.key = "service:" + name
        else:
            raise ValueError(kind)
        self._sessions = {}

    def __repr__(self):
        return "Principal(%s)" % self.key

    # -- sessions ---------------------------------------------------------
    def user_session(self):
        """The long-lived AKIA credential of an IAM user."""
        return self._user_session

    def periodic_session(self, name, t, period_ms, offset_ms=0, ec2=False):
        """Session `name` valid at `t` when credentials rotate every `period_ms` (instance profiles, Lambda)."""
        idx = (t - offset_ms) // period_ms
        return self.session(name, idx, offset_ms + idx * period_ms, ec2=ec2)

    def session(self, name, idx, created, ec2=False, mfa=False):
        """The session `idx` of `name`, created at `created` (memoised)."""
        k = (name, idx)
        s = self._sessions.get(k)
        if s is None:
            r = rng(self.seed, "session", self.key, name, idx)
            s = Session(self, name, access_key_id(r, "ASIA"), created, mfa=mfa, ec2=ec2)
            if len(self._sessions) > 20000:
                self._sessions.clear()
            self._sessions[k] = s
        return s

    def console_session(self, t, mfa=True):
        """Root console session (no access key on the ConsoleLogin itself)."""
        r = rng(self.seed, "root-session", self.key, t // HOUR)
        return Session(self, "root", access_key_id(r, "ASIA"), t, mfa=mfa)

    def service_identity(self):
        """`userIdentity` of an AWSService caller."""
        return {"type": "AWSService", "invokedBy": self.name}


class ServiceSession:
    """Stands in for a session when an AWS service is the caller (`userIdentity.type = AWSService`)."""

    def __init__(self, principal):
        self.principal = principal
        self.name = principal.name
        self.access_key = ""
        self.arn = ""
        self._ident = {"type": "AWSService", "invokedBy": principal.name}

    def user_identity(self, invoked_by=None):
        return self._ident


class AccountSession:
    """A caller from another account (`userIdentity.type = AWSAccount`), e.g. a vendor assuming a role."""

    def __init__(self, account, principal_id):
        self.principal = None
        self.name = principal_id
        self.access_key = ""
        self.arn = ""
        self._ident = {"type": "AWSAccount", "principalId": principal_id, "accountId": account}

    def user_identity(self, invoked_by=None):
        return self._ident


class WebIdentitySession:
    """The caller of AssumeRoleWithWebIdentity (GitHub Actions OIDC)."""

    def __init__(self, account, subject):
        provider = "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % account
        self.principal = None
        self.name = subject
        self.access_key = ""
        self.arn = ""
        self.provider = provider
        self.subject = subject
        self._ident = {"type": "WebIdentityUser",
                       "principalId": "%s:sts.amazonaws.com:%s" % (provider, subject),
                       "userName": subject, "identityProvider": provider}

    def user_identity(self, invoked_by=None):
        return self._ident
