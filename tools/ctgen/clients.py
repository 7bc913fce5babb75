"""User agents: SDK/tool families with versions that move over time.

A `Client` renders the user agent for one call (the AWS CLI names the command,
the Go SDK names the service module) and can be given version bumps at given
times, so "Boto3/1.34.51" becomes "Boto3/1.34.84" without changing family.
"""

import re

from .core import DAY

CHROME_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/{v}.0.0.0 Safari/537.36")
CHROME_WIN = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/{v}.0.0.0 Safari/537.36")
FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"
EDGE_WIN = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.0.0")
BROWSERS = {"chrome-mac": CHROME_MAC, "chrome-win": CHROME_WIN, "firefox-mac": FIREFOX_MAC, "edge-win": EDGE_WIN}

CONSOLE_JAVA = ("aws-internal/3 aws-sdk-java/1.12.{p} Linux/5.10.219-208.866.amzn2int.x86_64 "
                "OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS java/1.8.0_412 vendor/N/A cfg/retry-mode/standard")
S3_CONSOLE = ("S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.{p} Linux/5.10.219-208.866.amzn2int.x86_64 "
              "OpenJDK_64-Bit_Server_VM/25.412-b08 java/1.8.0_412 vendor/Oracle_Corporation cfg/retry-mode/standard")

# AWS CLI service names that differ from the eventSource prefix.
CLI_SERVICE = {"monitoring": "cloudwatch", "bedrock": "bedrock-runtime", "elasticloadbalancing": "elbv2",
               "ce": "ce", "signin": "sts"}
# Go SDK v2 module versions per service (api/<service>#<version>).
GO_API = {"secretsmanager": "1.26.0", "ssm": "1.44.7", "s3": "1.47.7", "sts": "1.26.7", "kms": "1.27.7",
          "ec2": "1.141.0", "iam": "1.28.7", "dynamodb": "1.26.8", "lambda": "1.49.7", "ecr": "1.24.7",
          "ecs": "1.35.6", "rds": "1.64.6", "bedrockruntime": "1.5.0", "sqs": "1.29.7", "logs": "1.31.0",
          "cloudtrail": "1.35.6", "guardduty": "1.35.6", "configservice": "1.43.6", "organizations": "1.23.6",
          "elasticloadbalancingv2": "1.26.6", "cloudwatch": "1.32.0", "eks": "1.37.0", "sns": "1.26.7"}
GO_SERVICE = {"bedrock": "bedrockruntime", "config": "configservice", "elasticloadbalancing": "elasticloadbalancingv2",
              "monitoring": "cloudwatch"}
S3_CLI = {"GetObject": "s3.cp", "PutObject": "s3.cp", "ListObjects": "s3.ls", "ListBuckets": "s3.ls",
          "HeadObject": "s3.cp", "DeleteObject": "s3.rm"}


def kebab(op):
    op = re.sub(r"20\d{6}(v\d)?$", "", op)
    return re.sub(r"(?<!^)(?=[A-Z])", "-", op).lower()


def cli_command(service, op):
    if service == "s3" and op in S3_CLI:
        return S3_CLI[op]
    return "%s.%s" % (CLI_SERVICE.get(service, service), kebab(op))


class Client:
    """One SDK/tool installation: a family, a version (bumpable over time) and host details.

    family: boto3, boto3-lambda, awscli, awscli-mac, awscli-kali, go, go-v1, java, java2, terraform,
            js, ssm-agent, console, requests, curl.
    `version` is the patch number that moves (boto3 1.34.<v>, aws-cli 2.15.<v>, ...).
    """

    def __init__(self, family, version, minor=None, host=None):
        self.family = family
        self.version = version
        self.minor = minor
        self.host = host or {}
        self.bumps = []  # [(from_ms, version)]
        self._cache = {}

    def bump(self, at_ms, version):
        self.bumps.append((at_ms, version))
        self.bumps.sort()
        return self

    def version_at(self, t):
        v = self.version
        for at, nv in self.bumps:
            if t >= at:
                v = nv
        return v

    def bumped_at(self, t):
        """True when `t` falls after the first bump (used to tag drift events)."""
        return bool(self.bumps) and t >= self.bumps[0][0]

    def ua(self, service, op, t, bracket=False):
        v = self.version_at(t)
        key = (service, op if self.family.startswith("awscli") else "", v, bracket)
        s = self._cache.get(key)
        if s is None:
            s = self._render(service, op, v)
            if bracket and self.family != "service":
                s = "[" + s + "]"
            self._cache[key] = s
        return s

    def _render(self, service, op, v):
        f, h = self.family, self.host
        kernel = h.get("kernel", "5.10.210-201.852.amzn2.x86_64")
        if f in ("boto3", "boto3-lambda"):
            minor = self.minor or 34
            env = " exec-env/AWS_Lambda_python3.11" if f == "boto3-lambda" else ""
            return ("Boto3/1.%d.%d md/Botocore#1.%d.%d ua/2.0 os/linux#%s md/arch#x86_64 lang/python#%s "
                    "md/pyimpl#CPython%s cfg/retry-mode#legacy Botocore/1.%d.%d"
                    % (minor, v, minor, v, kernel.split("-")[0], h.get("python", "3.11.6"), env, minor, v))
        if f == "awscli":
            return ("aws-cli/2.%d.%d Python/3.11.6 Linux/%s exe/x86_64.amzn.2 prompt/off command/%s"
                    % (self.minor or 15, v, kernel, cli_command(service, op)))
        if f == "awscli-mac":
            return ("aws-cli/2.%d.%d Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/%s"
                    % (self.minor or 15, v, cli_command(service, op)))
        if f == "awscli-kali":
            return ("aws-cli/2.%d.%d Python/3.11.8 Linux/6.6.9-amd64 exe/x86_64.kali.2024 prompt/off command/%s"
                    % (self.minor or 15, v, cli_command(service, op)))
        if f == "go":
            svc = GO_SERVICE.get(service, service)
            return ("aws-sdk-go-v2/1.24.%d os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/%s#%s"
                    % (v, svc, GO_API.get(svc, "1.20.0")))
        if f == "ssm-agent":
            return "aws-sdk-go/1.44.%d (go1.21.5; linux; amd64) amazon-ssm-agent/3.3.%d.0" % (v, 40 + v % 7)
        if f == "java":
            return ("aws-sdk-java/1.12.%d Linux/%s OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS java/17.0.9 "
                    "vendor/Amazon.com_Inc. cfg/retry-mode/standard" % (v, kernel))
        if f == "java2":
            return ("aws-sdk-java/2.%d.%d Linux/%s OpenJDK_64-Bit_Server_VM/21.0.2+13-LTS Java/21.0.2 "
                    "vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy"
                    % (self.minor or 21, v, kernel))
        if f == "terraform":
            svc = GO_SERVICE.get(service, service)
            return ("APN/1.0 HashiCorp/1.0 Terraform/1.6.%d (+https://www.terraform.io) terraform-provider-aws/5.%d.0 "
                    "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.24.0 os/linux "
                    "lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/%s#%s"
                    % (h.get("tf_patch", 6), v, svc, GO_API.get(svc, "1.20.0")))
        if f == "js":
            return ("aws-sdk-js/3.%d.0 ua/2.0 os/linux#6.5.0-1016-azure lang/js md/nodejs#20.11.0 api/%s#3.%d.0 "
                    "configure-aws-credentials-for-github-actions" % (v, service, v))
        if f == "console":
            if service == "signin":
                return BROWSERS[h.get("browser", "chrome-mac")].format(v=h.get("browser_version", 124))
            if service == "s3":
                return S3_CONSOLE.format(p=v)
            return CONSOLE_JAVA.format(p=v)
        if f == "requests":
            return "python-requests/2.%d.0" % v
        if f == "curl":
            return "curl/8.%d.0" % v
        if f == "service":
            return h["name"]
        raise ValueError("unknown client family %r" % f)


def service_client(name):
    """The user agent an AWS service uses when it calls on someone's behalf (`ec2.amazonaws.com`)."""
    return Client("service", 0, host={"name": name})


def bump_schedule(client, r, start, days, chance=0.5, step=(3, 12)):
    """Give `client` zero or one SDK version bump at a random day (realistic drift)."""
    if client.family in ("console", "service", "requests", "curl") or r.random() > chance:
        return client
    day = r.randrange(1, max(2, days))
    client.bump(start + day * DAY + r.randrange(DAY), client.version + r.randint(*step))
    return client
