"""Calls (what a principal did) and their rendering into CloudTrail records."""

from . import apis
from .core import derived_uuid, iso, uuid4
from .resources import hex_upper


class Call:
    """One API call before rendering.

    session: a identity.Session (or ServiceSession / AccountSession / WebIdentitySession).
    client: a clients.Client (user agent); ip: sourceIPAddress; error: None, "denied" or (code, message).
    tags: labels the call carries into labels.json ("attack:<name>", "step:<name>", "benign:<name>").
    """

    __slots__ = ("t", "account", "session", "api", "args", "ip", "client", "region", "error", "tags", "eid",
                 "invoked_by", "console", "seq", "shared_event_id", "service_event")

    def __init__(self, t, account, session, api, args=None, ip="", client=None, region="us-east-1", error=None,
                 tags=(), eid=None, invoked_by=None, console=False, shared_event_id=None, service_event=None):
        self.t = t
        self.account = account
        self.session = session
        self.api = api
        self.args = args
        self.ip = ip
        self.client = client
        self.region = region
        self.error = error
        self.tags = tags
        self.eid = eid
        self.invoked_by = invoked_by
        self.console = console
        self.seq = 0
        self.shared_event_id = shared_event_id
        self.service_event = service_event

    def sort_key(self):
        return (self.t, self.seq)


class Ctx:
    __slots__ = ("res", "region", "r", "account")


def denied_error(api, session, resource=None):
    code = apis.DENIED_CODE.get(api.service, "AccessDenied")
    who = session.arn or "arn:aws:iam::%s:root" % getattr(session.principal, "account", "")
    if api.service == "s3":
        return code, "Access Denied"
    msg = "User: %s is not authorized to perform: %s" % (who, api.action)
    if resource:
        msg += " on resource: %s" % resource
    msg += " because no identity-based policy allows the %s action" % api.action
    if code == "Client.UnauthorizedOperation":
        msg = "You are not authorized to perform this operation. " + msg
    return code, msg


class Renderer:
    """Turns calls into record dicts. One render RNG, consumed in call order (deterministic)."""

    def __init__(self, resources_by_account, r):
        self.resources = resources_by_account
        self.ctx = Ctx()
        self.ctx.r = r

    def render(self, call):
        api = apis.CATALOG[call.api]
        ctx = self.ctx
        region = "us-east-1" if api.global_ else call.region
        ctx.res, ctx.region, ctx.account = self.resources[call.account], region, call.account
        req, resp, res, extra = api.build(call, ctx)
        r = ctx.r
        s = call.session
        if call.service_event is not None:
            return self._service_event(call, api, region, res)
        rec = {"eventVersion": api.version, "userIdentity": s.user_identity(call.invoked_by),
               "eventTime": iso(call.t), "eventSource": api.source, "eventName": api.event_name,
               "awsRegion": region, "sourceIPAddress": call.ip}
        if call.client is not None:
            rec["userAgent"] = call.client.ua(api.service, api.event_name, call.t, bracket=api.service == "s3")
        err = call.error
        if err is not None:
            if err == "denied":
                target = req.get("secretId") if isinstance(req, dict) else None
                err = denied_error(api, s, target)
            rec["errorCode"], rec["errorMessage"] = err
            resp = None
            if api.service == "s3" and extra:
                extra = dict(extra, bytesTransferredOut=0)
        rec["requestParameters"] = req
        rec["responseElements"] = resp
        if extra is not None:
            rec["additionalEventData"] = extra
        rec["requestID"] = hex_upper(r, 16) if api.service == "s3" else uuid4(r)
        rec["eventID"] = call.eid
        rec["readOnly"] = api.read_only
        if res is not None:
            rec["resources"] = res
        rec["eventType"] = api.event_type
        rec["managementEvent"] = not api.data
        rec["recipientAccountId"] = call.account
        if call.shared_event_id:
            rec["sharedEventID"] = call.shared_event_id
        rec["eventCategory"] = api.category
        ip = call.ip
        if ip and ip[0].isdigit() and not call.console and api.event_type != "AwsConsoleSignIn":
            rec["tlsDetails"] = apis.tls(apis.host_for(api.service, region, req.get("bucketName") if api.data else None))
        elif call.console and api.event_type != "AwsConsoleSignIn":
            rec["sessionCredentialFromConsole"] = "true"
        return rec

    def _service_event(self, call, api, region, res):
        # AwsServiceEvent records carry no userIdentity.type, only the account and the invoking service.
        return {"eventVersion": api.version,
                "userIdentity": {"accountId": call.account, "invokedBy": call.invoked_by or "AWS Internal"},
                "eventTime": iso(call.t), "eventSource": api.source, "eventName": api.event_name,
                "awsRegion": region, "sourceIPAddress": "AWS Internal", "userAgent": "AWS Internal",
                "requestParameters": None, "responseElements": None, "eventID": call.eid, "readOnly": False,
                "resources": res, "eventType": "AwsServiceEvent", "managementEvent": True,
                "recipientAccountId": call.account, "serviceEventDetails": call.service_event,
                "eventCategory": "Management"}


def companion_eid(call, suffix):
    return derived_uuid(call.eid + suffix)
