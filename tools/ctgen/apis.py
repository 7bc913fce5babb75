"""The API catalogue: for each eventName, its service, read-only flag, category and the
requestParameters / responseElements / resources / additionalEventData it logs.

Builders take (call, ctx) where `call.args` holds the semantic arguments (secret
name, bucket, key, ...) and `ctx` gives the account's resources, the region and a
render RNG. Unknown args fall back to a plausible resource of the account.
"""

from .core import HOUR, human_date
from .resources import token

GLOBAL_SERVICES = {"iam", "organizations", "ce", "route53", "cloudfront", "signin", "health"}
VERSION = {"s3": "1.10", "sts": "1.08", "signin": "1.08", "iam": "1.09", "ec2": "1.09", "bedrock": "1.10",
           "secretsmanager": "1.09", "ssm": "1.09", "kms": "1.09", "lambda": "1.09", "guardduty": "1.08"}
DENIED_CODE = {"ec2": "Client.UnauthorizedOperation", "lambda": "AccessDeniedException", "ssm": "AccessDeniedException",
               "guardduty": "AccessDeniedException", "bedrock": "AccessDeniedException", "ecr": "AccessDeniedException",
               "ecs": "AccessDeniedException", "config": "AccessDeniedException", "logs": "AccessDeniedException",
               "dynamodb": "AccessDeniedException", "eks": "AccessDeniedException", "ce": "AccessDeniedException",
               "elasticloadbalancing": "AccessDenied", "monitoring": "AccessDenied"}
IAM_ACTION = {"ListBuckets": "ListAllMyBuckets", "ListObjects": "ListBucket", "GetBucketPolicyStatus": "GetBucketPolicyStatus",
              "GetBucketPublicAccessBlock": "GetBucketPublicAccessBlock", "GetBucketLocation": "GetBucketLocation"}


class Api:
    __slots__ = ("name", "event_name", "service", "source", "read_only", "category", "version", "build", "global_",
                 "event_type", "data")

    def __init__(self, name, service, read_only, build, category="Management", event_type="AwsApiCall"):
        self.name = name
        # Catalogue keys are unique; "eks:ListClusters" logs eventName "ListClusters".
        self.event_name = name.split(":")[-1]
        self.service = service
        self.source = service + ".amazonaws.com"
        self.read_only = read_only
        self.category = category
        self.version = VERSION.get(service, "1.09")
        self.build = build
        self.global_ = service in GLOBAL_SERVICES
        self.event_type = event_type
        self.data = category == "Data"

    @property
    def action(self):
        op = self.event_name
        for suffix in ("20150331v2", "20150331", "20181031"):
            if op.endswith(suffix):
                op = op[: -len(suffix)]
        return "%s:%s" % (self.service if self.service != "monitoring" else "cloudwatch", IAM_ACTION.get(op, op))


CATALOG = {}


def api(name, service, read_only, category="Management", event_type="AwsApiCall"):
    def deco(fn):
        CATALOG[name] = Api(name, service, read_only, fn, category, event_type)
        return fn
    return deco


def simple(name, service, params=None, read_only=True, resource=None):
    """Register an API whose request is a fixed template and whose response is null."""
    def build(call, ctx):
        req = params(call, ctx) if callable(params) else params
        return req, None, resource(call, ctx) if resource else None, None
    CATALOG[name] = Api(name, service, read_only, build)


def arg(call, name, default):
    v = call.args.get(name) if call.args else None
    return default if v is None else v


def pick(ctx, seq):
    return seq[ctx.r.randrange(len(seq))]


def tls(host):
    return {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": host}


def host_for(service, region, bucket=None):
    if bucket:
        return "%s.s3.%s.amazonaws.com" % (bucket, region)
    if service in ("iam", "organizations", "ce", "route53", "cloudfront"):
        return "%s.amazonaws.com" % service
    if service == "bedrock":
        return "bedrock-runtime.%s.amazonaws.com" % region
    return "%s.%s.amazonaws.com" % (service, region)


# ---------------------------------------------------------------- STS
@api("GetCallerIdentity", "sts", True)
def _gci(call, ctx):
    return None, None, None, None


def _assume_response(ctx, new_session, role_arn, t):
    r = ctx.r
    role = new_session.principal
    return {"credentials": {"accessKeyId": new_session.access_key,
                            "sessionToken": "IQoJb3JpZ2luX2VjE" + token(r, 280),
                            "expiration": human_date(t + HOUR)},
            "assumedRoleUser": {"assumedRoleId": "%s:%s" % (role.unique_id, new_session.name),
                                "arn": new_session.arn}}


@api("AssumeRole", "sts", True)
def _assume(call, ctx):
    s = call.args["new_session"]
    role_arn = s.principal.arn
    req = {"roleArn": role_arn, "roleSessionName": s.name}
    if call.args.get("duration"):
        req["durationSeconds"] = call.args["duration"]
    if call.args.get("external_id"):
        req["externalId"] = call.args["external_id"]
    res = [{"accountId": s.principal.account, "type": "AWS::IAM::Role", "ARN": role_arn}]
    return req, _assume_response(ctx, s, role_arn, call.t), res, None


@api("AssumeRoleWithWebIdentity", "sts", True)
def _assume_web(call, ctx):
    s = call.args["new_session"]
    web = call.session
    req = {"roleArn": s.principal.arn, "roleSessionName": s.name, "durationSeconds": 3600}
    resp = _assume_response(ctx, s, s.principal.arn, call.t)
    resp = {"subjectFromWebIdentityToken": web.subject, "assumedRoleUser": resp["assumedRoleUser"],
            "provider": web.provider, "audience": "sts.amazonaws.com", "credentials": resp["credentials"]}
    res = [{"accountId": s.principal.account, "type": "AWS::IAM::Role", "ARN": s.principal.arn},
           {"accountId": s.principal.account, "type": "AWS::IAM::OidcProvider", "ARN": web.provider}]
    return req, resp, res, {"identityProviderConnectionVerificationMethod": "IAMTrustStore"}


# ---------------------------------------------------------------- Secrets Manager / SSM / KMS
@api("GetSecretValue", "secretsmanager", True)
def _gsv(call, ctx):
    name = arg(call, "secret", None) or pick(ctx, ctx.res.secret_names)
    sid = ctx.res.secrets.get(name, name) if arg(call, "by_arn", True) else name
    return {"secretId": sid}, None, None, None


@api("DescribeSecret", "secretsmanager", True)
def _dsec(call, ctx):
    name = arg(call, "secret", None) or pick(ctx, ctx.res.secret_names)
    return {"secretId": name}, None, None, None


@api("ListSecrets", "secretsmanager", True)
def _lsec(call, ctx):
    page = arg(call, "page", 0)
    return ({"nextToken": token(ctx.r, 120)} if page else None), None, None, None


def _param_res(ctx, names):
    return [{"accountId": ctx.account, "ARN": "arn:aws:ssm:%s:%s:parameter%s" % (ctx.region, ctx.account, n)}
            for n in names]


@api("GetParameter", "ssm", True)
def _gp(call, ctx):
    name = arg(call, "name", None) or pick(ctx, ctx.res.parameters)
    return {"name": name, "withDecryption": arg(call, "decrypt", True)}, None, _param_res(ctx, [name]), None


@api("GetParameters", "ssm", True)
def _gps(call, ctx):
    names = arg(call, "names", None) or [pick(ctx, ctx.res.parameters) for _ in range(3)]
    return {"names": names, "withDecryption": arg(call, "decrypt", True)}, None, _param_res(ctx, names), None


@api("GetParametersByPath", "ssm", True)
def _gpp(call, ctx):
    req = {"path": arg(call, "path", "/prod"), "recursive": True, "withDecryption": arg(call, "decrypt", True)}
    if arg(call, "page", 0):
        req["nextToken"] = token(ctx.r, 96)
    return req, None, None, None


simple("DescribeParameters", "ssm", lambda c, x: {"maxResults": 50})


@api("UpdateInstanceInformation", "ssm", False)
def _uii(call, ctx):
    iid = arg(call, "instance", "i-0" + "0" * 16)
    ip = arg(call, "private_ip", "10.0.1.10")
    return ({"instanceId": iid, "agentVersion": "3.3.40.0", "agentStatus": "Active", "platformType": "Linux",
             "platformName": "Amazon Linux", "platformVersion": "2023", "iPAddress": ip,
             "computerName": "ip-%s.ec2.internal" % ip.replace(".", "-"), "agentName": "amazon-ssm-agent",
             "availabilityZone": ctx.region + "a", "availabilityZoneId": "use1-az4"}, None, None, None)


@api("Decrypt", "kms", True)
def _decrypt(call, ctx):
    key = arg(call, "key", ctx.res.kms["app"])
    enc = arg(call, "context", None)
    req = {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
    if enc:
        req = {"encryptionContext": enc, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
    return req, None, [{"accountId": ctx.account, "type": "AWS::KMS::Key", "ARN": key}], None


@api("GenerateDataKey", "kms", True)
def _gdk(call, ctx):
    key = arg(call, "key", ctx.res.kms["app"])
    req = {"keyId": key, "keySpec": "AES_256"}
    enc = arg(call, "context", None)
    if enc:
        req["encryptionContext"] = enc
    return req, None, [{"accountId": ctx.account, "type": "AWS::KMS::Key", "ARN": key}], None


@api("DescribeKey", "kms", True)
def _dk(call, ctx):
    key = arg(call, "key", ctx.res.kms["app"])
    return {"keyId": key}, None, [{"accountId": ctx.account, "type": "AWS::KMS::Key", "ARN": key}], None


simple("ListKeys", "kms", None)
simple("ListAliases", "kms", None)


# ---------------------------------------------------------------- S3
def _s3_extra(ctx, bytes_in=0, bytes_out=0):
    return {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": bytes_in,
            "AuthenticationMethod": "AuthHeader", "x-amz-id-2": token(ctx.r, 76), "bytesTransferredOut": bytes_out}


def _obj_res(ctx, bucket, key):
    return [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (bucket, key)},
            {"accountId": ctx.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % bucket}]


def _bucket_key(call, ctx):
    alias = arg(call, "bucket", "assets")
    bucket = ctx.res.buckets.get(alias, alias)
    key = arg(call, "key", None) or pick(ctx, ctx.res.object_keys.get(alias, ["data/object.bin"]))
    return bucket, key


@api("GetObject", "s3", True, category="Data")
def _getobj(call, ctx):
    b, k = _bucket_key(call, ctx)
    size = arg(call, "size", ctx.r.randint(800, 2_500_000))
    return ({"bucketName": b, "Host": host_for("s3", ctx.region, b), "key": k}, None, _obj_res(ctx, b, k),
            _s3_extra(ctx, 0, size))


@api("PutObject", "s3", False, category="Data")
def _putobj(call, ctx):
    b, k = _bucket_key(call, ctx)
    size = arg(call, "size", ctx.r.randint(800, 4_000_000))
    resp = {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": ctx.res.kms["s3"],
            "x-amz-server-side-encryption-bucket-key-enabled": "true"}
    return ({"bucketName": b, "Host": host_for("s3", ctx.region, b), "key": k}, resp, _obj_res(ctx, b, k),
            _s3_extra(ctx, size, 0))


@api("ListObjects", "s3", True, category="Data")
def _listobj(call, ctx):
    alias = arg(call, "bucket", "assets")
    b = ctx.res.buckets.get(alias, alias)
    req = {"bucketName": b, "Host": host_for("s3", ctx.region, b), "list-type": "2", "prefix": arg(call, "prefix", ""),
           "delimiter": "/", "encoding-type": "url"}
    return req, None, [{"accountId": ctx.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % b}], \
        _s3_extra(ctx, 0, 0)


@api("ListBuckets", "s3", True)
def _listbuckets(call, ctx):
    return None, None, None, _s3_extra(ctx, 0, 0)


def _bucket_api(name, sub, read_only=True):
    def build(call, ctx):
        alias = arg(call, "bucket", None) or pick(ctx, sorted(ctx.res.buckets))
        b = ctx.res.buckets.get(alias, alias)
        req = {"bucketName": b, "Host": "%s.s3.amazonaws.com" % b}
        if sub:
            req[sub] = ""
        return req, None, [{"accountId": ctx.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % b}], \
            _s3_extra(ctx, 0, 0)
    CATALOG[name] = Api(name, "s3", read_only, build)


for _n, _sub in (("GetBucketPolicy", "policy"), ("GetBucketAcl", "acl"), ("GetBucketLocation", "location"),
                 ("GetBucketVersioning", "versioning"), ("GetBucketEncryption", "encryption"),
                 ("GetBucketPublicAccessBlock", "publicAccessBlock"), ("GetBucketLogging", "logging"),
                 ("GetBucketTagging", "tagging"), ("GetBucketOwnershipControls", "ownershipControls"),
                 ("GetBucketPolicyStatus", "policyStatus"), ("GetBucketLifecycle", "lifecycle"),
                 ("GetBucketReplication", "replication"), ("GetBucketNotification", "notification")):
    _bucket_api(_n, _sub)
_bucket_api("PutBucketTagging", "tagging", read_only=False)


# ---------------------------------------------------------------- Bedrock
@api("InvokeModel", "bedrock", True)
def _invoke(call, ctx):
    model = arg(call, "model", "anthropic.claude-3-5-sonnet-20240620-v1:0")
    res = [{"accountId": ctx.account, "type": "AWS::Bedrock::Model",
            "ARN": "arn:aws:bedrock:%s::foundation-model/%s" % (ctx.region, model)}]
    return {"modelId": model}, None, res, None


simple("ListFoundationModels", "bedrock", None)
simple("GetFoundationModelAvailability", "bedrock",
       lambda c, x: {"modelId": arg(c, "model", "anthropic.claude-3-opus-20240229-v1:0")})
simple("GetModelInvocationLoggingConfiguration", "bedrock", None)
simple("DeleteModelInvocationLoggingConfiguration", "bedrock", None, read_only=False)
simple("ListGuardrails", "bedrock", {"maxResults": 100})


# ---------------------------------------------------------------- sign-in (console)
@api("ConsoleLogin", "signin", False, event_type="AwsConsoleSignIn")
def _console_login(call, ctx):
    return None, {"ConsoleLogin": "Success"}, None, {"MobileVersion": "No", "MFAUsed": arg(call, "mfa", "No"),
                                                     "LoginTo": "https://console.aws.amazon.com/console/home"}


def get(name):
    return CATALOG[name]


@api("RotateKey", "kms", False, event_type="AwsServiceEvent")
def _rotate(call, ctx):
    key = arg(call, "key", ctx.res.kms["secrets"])
    return None, None, [{"accountId": ctx.account, "type": "AWS::KMS::Key", "ARN": key}], None


simple("FilterLogEvents", "logs", lambda c, x: {"logGroupName": arg(c, "group", pick(x, x.res.log_groups)),
                                                "startTime": c.t - HOUR, "filterPattern": arg(c, "pattern", "ERROR"),
                                                "interleaved": True})
simple("DescribeLogStreams", "logs", lambda c, x: {"logGroupName": arg(c, "group", pick(x, x.res.log_groups)),
                                                   "orderBy": "LastEventTime", "descending": True})


from . import apis_infra  # noqa: E402,F401  (registers the IAM/EC2/Lambda/... entries)
