"""What exists in an account: secrets, parameters, buckets, keys, functions, trails, detectors.

Names follow the habits of real estates (env/app/kind), so enumeration stands
out by breadth, not by odd names.
"""

from .core import ALNUM, HEX, chars, hexid, rng, uuid4

APPS = ["langflow", "storefront", "orders-api", "billing", "reporting", "auth", "search", "data-pipeline",
        "notifications", "payments", "crm-sync", "ml-feature-store"]
SECRET_KINDS = ["db-credentials", "api-key", "openai-api-key", "stripe-api-key", "jwt-signing-key",
                "smtp-password", "redis-auth", "oauth-client-secret", "datadog-api-key", "github-token",
                "slack-webhook", "sentry-dsn", "snowflake-password", "twilio-auth-token", "encryption-key"]
PARAM_KINDS = ["db_host", "db_password", "api_base_url", "feature_flags", "log_level", "queue_url",
               "cache_endpoint", "signing_secret", "partner_token", "replica_count"]


class AccountResources:
    def __init__(self, seed, account, regions, org="acme"):
        r = rng(seed, "resources", account)
        self.account = account
        self.regions = list(regions)
        self.home = regions[0]
        self.org = org
        # Secrets: "prod/<app>/<kind>" with the random 6-char suffix Secrets Manager adds.
        names = []
        for env in ("prod", "staging"):
            for app in APPS:
                for kind in SECRET_KINDS:
                    names.append("%s/%s/%s" % (env, app, kind))
        r.shuffle(names)
        fixed = ["prod/langflow/app-secrets", "prod/storefront/db-credentials", "prod/orders-api/db-credentials",
                 "ci/npm-token", "ci/dockerhub-token", "ci/sonarcloud-token", "prod/billing/stripe-api-key",
                 "prod/reporting/snowflake-password"]
        names = fixed + [n for n in names if n not in fixed][:72]
        self.secrets = {n: "arn:aws:secretsmanager:%s:%s:secret:%s-%s" % (self.home, account, n, chars(r, ALNUM, 6))
                        for n in names}
        self.secret_names = names
        params = []
        for env in ("prod", "staging"):
            for app in APPS[:8]:
                for kind in PARAM_KINDS:
                    params.append("/%s/%s/%s" % (env, app, kind))
        self.parameters = params
        self.buckets = {
            "flows": "%s-langflow-flows-%s" % (org, account),
            "assets": "%s-storefront-assets-%s" % (org, account),
            "uploads": "%s-storefront-uploads-%s" % (org, account),
            "artifacts": "%s-ci-artifacts-%s" % (org, account),
            "exports": "%s-customer-exports-%s" % (org, account),
            "logs": "%s-log-archive-%s" % (org, account),
            "backups": "%s-db-backups-%s" % (org, account),
            "tfstate": "%s-terraform-state-%s" % (org, account),
            "reports": "%s-finance-reports-%s" % (org, account),
            "ml": "%s-ml-datasets-%s" % (org, account),
        }
        self.kms = {alias: "arn:aws:kms:%s:%s:key/%s" % (self.home, account, uuid4(r))
                    for alias in ("secrets", "s3", "ebs", "app", "logs")}
        self.functions = ["log-archiver", "cost-reporter", "image-resizer", "webhook-dispatcher", "nightly-etl",
                          "slack-notifier", "cert-expiry-check"]
        self.instances = {name: "i-0" + hexid(r, 16) for name in
                          ("langflow-1", "storefront-1", "storefront-2", "bastion", "worker-1", "worker-2")}
        self.vpc = {reg: "vpc-0" + hexid(r, 16) for reg in regions}
        self.subnets = {reg: ["subnet-0" + hexid(r, 16) for _ in range(3)] for reg in regions}
        self.sgs = {reg: ["sg-0" + hexid(r, 16) for _ in range(4)] for reg in regions}
        self.amis = ["ami-0" + hexid(r, 16) for _ in range(4)]
        self.detectors = {reg: hexid(r, 32) for reg in regions}
        self.flow_logs = {reg: ["fl-0" + hexid(r, 16) for _ in range(2)] for reg in regions}
        self.trail_arn = "arn:aws:cloudtrail:%s:%s:trail/%s-security-trail" % (self.home, account, org)
        self.log_groups = ["/aws/lambda/" + f for f in self.functions] + [
            "/ecs/orders-api", "/ec2/storefront/nginx", "/ec2/langflow/app", "/aws/rds/instance/orders/postgresql"]
        self.ecr_repos = ["storefront-web", "orders-api", "langflow-custom", "data-pipeline"]
        self.tables = ["orders", "sessions", "carts", "feature-flags", "audit-trail"]
        self.db_instances = ["orders-prod", "storefront-prod", "reporting-replica"]
        self.clusters = ["apps-prod"]
        self.object_keys = self._object_keys(r)

    def _object_keys(self, r):
        keys = {}
        keys["flows"] = ["flows/%s.json" % n for n in ("support-bot", "rag-docs", "summarizer", "ticket-triage",
                                                         "sales-assistant", "kb-ingest")]
        keys["assets"] = ["static/js/main.%s.js" % hexid(r, 8) for _ in range(6)] + \
                         ["static/css/app.%s.css" % hexid(r, 8) for _ in range(3)] + \
                         ["img/products/%05d.jpg" % r.randrange(100000) for _ in range(30)]
        keys["uploads"] = ["uploads/2025/%02d/%s.png" % (r.randint(1, 6), hexid(r, 24)) for _ in range(40)]
        keys["artifacts"] = ["builds/storefront/%s.tar.gz" % hexid(r, 12) for _ in range(20)]
        keys["exports"] = ["exports/customers/2025-%02d-%02d/part-%05d.csv.gz" % (r.randint(1, 6), r.randint(1, 28), i)
                           for i in range(600)]
        keys["logs"] = ["exports/%s/%s/000000.gz" % (g.strip("/").replace("/", "-"), hexid(r, 8))
                        for g in ("aws-lambda-log-archiver", "ecs-orders-api") for _ in range(10)]
        keys["backups"] = ["pg/orders/%s.dump.gz" % hexid(r, 10) for _ in range(10)]
        keys["tfstate"] = ["env/prod/%s/terraform.tfstate" % s for s in ("network", "iam", "apps", "data")]
        keys["reports"] = ["cost/2025-%02d.csv" % m for m in range(1, 7)]
        keys["ml"] = ["datasets/tickets/%s.parquet" % hexid(r, 10) for _ in range(20)]
        return keys

    def secret_arn(self, name):
        return self.secrets[name]

    def bucket(self, alias):
        return self.buckets[alias]

    def function_arn(self, name, region=None):
        return "arn:aws:lambda:%s:%s:function:%s" % (region or self.home, self.account, name)

    def role_arn(self, name):
        return "arn:aws:iam::%s:role/%s" % (self.account, name)


def random_secret_version(r):
    return uuid4(r)


def token(r, n):
    """Base64-looking opaque token (session tokens, x-amz-id-2)."""
    from .core import B64
    return chars(r, B64, n)


def hex_upper(r, n):
    return chars(r, HEX, n).upper()
