"""Infrastructure APIs of the catalogue: IAM, EC2, Lambda, RDS, DynamoDB, ECS, ECR, logging and
security services. Imported by apis.py, which holds the registry and helpers."""

import json

from .apis import api, arg, pick, simple
from .core import HOUR, access_key_id, hexid, human_date, iso, unique_id, uuid4
from .resources import token

# ---------------------------------------------------------------- IAM
def _user_arn(ctx, name):
    return "arn:aws:iam::%s:user/%s" % (ctx.account, name)


@api("CreateUser", "iam", False)
def _create_user(call, ctx):
    name = call.args["user"]
    resp = {"user": {"path": "/", "userName": name, "userId": unique_id(ctx.r, "AIDA"), "arn": _user_arn(ctx, name),
                     "createDate": human_date(call.t)}}
    return {"userName": name}, resp, None, None


@api("CreateAccessKey", "iam", False)
def _create_key(call, ctx):
    name = call.args["user"]
    akid = call.args.get("access_key") or access_key_id(ctx.r, "AKIA")
    resp = {"accessKey": {"userName": name, "accessKeyId": akid, "status": "Active", "createDate": human_date(call.t)}}
    return {"userName": name}, resp, None, None


@api("AttachUserPolicy", "iam", False)
def _attach_user(call, ctx):
    return {"userName": call.args["user"], "policyArn": call.args["policy"]}, None, None, None


@api("AttachRolePolicy", "iam", False)
def _attach_role(call, ctx):
    return {"roleName": call.args["role"], "policyArn": call.args["policy"]}, None, None, None


@api("CreateLoginProfile", "iam", False)
def _login_profile(call, ctx):
    name = call.args["user"]
    resp = {"loginProfile": {"userName": name, "createDate": human_date(call.t), "passwordResetRequired": False}}
    return {"userName": name, "passwordResetRequired": False}, resp, None, None


@api("UpdateAssumeRolePolicy", "iam", False)
def _update_trust(call, ctx):
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": call.args["principals"]}, "Action": "sts:AssumeRole"}]}
    return {"roleName": call.args["role"], "policyDocument": json.dumps(doc, separators=(",", ":"))}, None, None, None


@api("TagRole", "iam", False)
def _tag_role(call, ctx):
    return {"roleName": arg(call, "role", "storefront-web"),
            "tags": [{"key": "ManagedBy", "value": "terraform"}, {"key": "CostCenter", "value": "platform"}]}, \
        None, None, None


@api("UpdateRole", "iam", False)
def _update_role(call, ctx):
    return {"roleName": arg(call, "role", "orders-api-task"), "maxSessionDuration": 3600}, None, None, None


def _iam_name(field, default_pool):
    def params(call, ctx):
        pool = getattr(ctx.res, default_pool) if isinstance(default_pool, str) else default_pool
        return {field: arg(call, field, pick(ctx, pool))}
    return params


_ROLES = ["langflow-server", "storefront-web", "orders-api-task", "github-actions-deploy", "terraform-deploy",
          "platform-admin", "log-archiver-fn", "cloud-inventory-readonly"]
_USERS = ["d.okafor", "svc-backup", "m.keller", "legacy-reporting"]
simple("ListUsers", "iam", None)
simple("ListRoles", "iam", None)
simple("ListGroups", "iam", None)
simple("ListPolicies", "iam", {"scope": "Local", "onlyAttached": False})
simple("GetAccountSummary", "iam", None)
simple("GetAccountPasswordPolicy", "iam", None)
simple("ListMFADevices", "iam", _iam_name("userName", _USERS))
simple("ListVirtualMFADevices", "iam", {"assignmentStatus": "Any"})
simple("ListInstanceProfiles", "iam", None)
simple("ListOpenIDConnectProviders", "iam", None)
simple("ListSAMLProviders", "iam", None)
simple("ListServerCertificates", "iam", None)
simple("GenerateCredentialReport", "iam", None)
simple("GetCredentialReport", "iam", None)
simple("GetUser", "iam", _iam_name("userName", _USERS))
simple("GetRole", "iam", _iam_name("roleName", _ROLES))
simple("ListAttachedRolePolicies", "iam", _iam_name("roleName", _ROLES))
simple("ListRolePolicies", "iam", _iam_name("roleName", _ROLES))
simple("GetRolePolicy", "iam", lambda c, x: {"roleName": arg(c, "roleName", pick(x, _ROLES)),
                                             "policyName": arg(c, "policyName", "inline-access")})
simple("ListAttachedUserPolicies", "iam", _iam_name("userName", _USERS))
simple("ListUserPolicies", "iam", _iam_name("userName", _USERS))
simple("ListGroupsForUser", "iam", _iam_name("userName", _USERS))
simple("ListAccessKeys", "iam", _iam_name("userName", _USERS))
simple("GetAccessKeyLastUsed", "iam", lambda c, x: {"accessKeyId": arg(c, "accessKeyId", access_key_id(x.r, "AKIA"))})
simple("GetLoginProfile", "iam", _iam_name("userName", _USERS))
simple("GetAccountAuthorizationDetails", "iam", {"filter": ["User", "Role", "Group", "LocalManagedPolicy"]})
simple("GetPolicy", "iam", lambda c, x: {"policyArn": arg(c, "policyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")})


# ---------------------------------------------------------------- EC2
def _ec2_resp(ctx, **extra):
    d = {"requestId": uuid4(ctx.r), "_return": True}
    d.update(extra)
    return d


simple("DescribeInstances", "ec2", {"instancesSet": {}, "filterSet": {}})
simple("DescribeSecurityGroups", "ec2", {"securityGroupSet": {}, "securityGroupIdSet": {}, "filterSet": {}})
simple("DescribeVpcs", "ec2", {"vpcSet": {}, "filterSet": {}})
simple("DescribeSubnets", "ec2", {"subnetSet": {}, "filterSet": {}})
simple("DescribeImages", "ec2", {"executableBySet": {}, "imagesSet": {}, "ownersSet": {"items": [{"owner": "self"}]},
                                 "filterSet": {}})
simple("DescribeSnapshots", "ec2", {"snapshotSet": {}, "ownersSet": {"items": [{"owner": "self"}]},
                                    "sharedUsersSet": {}, "filterSet": {}})
simple("DescribeVolumes", "ec2", {"volumeSet": {}, "filterSet": {}})
simple("DescribeNetworkInterfaces", "ec2", {"networkInterfaceIdSet": {}, "filterSet": {}})
simple("DescribeAddresses", "ec2", {"publicIpsSet": {}, "allocationIdsSet": {}, "filterSet": {}})
simple("DescribeRegions", "ec2", {"regionSet": {}, "allRegions": True})
simple("DescribeKeyPairs", "ec2", {"keySet": {}, "filterSet": {}})
simple("DescribeRouteTables", "ec2", {"routeTableIdSet": {}, "filterSet": {}})
simple("DescribeInternetGateways", "ec2", {"internetGatewayIdSet": {}, "filterSet": {}})
simple("DescribeNatGateways", "ec2", {"DescribeNatGatewaysRequest": {}})
simple("DescribeFlowLogs", "ec2", {"DescribeFlowLogsRequest": {}})
simple("DescribeLaunchTemplates", "ec2", {"DescribeLaunchTemplatesRequest": {}})
simple("DescribeAccountAttributes", "ec2", {"accountAttributeNameSet": {"items": [{"attributeName": "supported-platforms"}]},
                                            "filterSet": {}})
simple("DescribeInstanceTypes", "ec2", lambda c, x: {"DescribeInstanceTypesRequest": {
    "InstanceType": {"content": arg(c, "instance_type", "p4d.24xlarge"), "tag": 1}}})
simple("DescribeInstanceStatus", "ec2", {"instancesSet": {}, "filterSet": {}, "includeAllInstances": False})
simple("DescribeTags", "ec2", {"filterSet": {}})
simple("DescribeVpcEndpoints", "ec2", {"DescribeVpcEndpointsRequest": {}})
simple("DescribeNetworkAcls", "ec2", {"networkAclIdSet": {}, "filterSet": {}})
simple("GetEbsEncryptionByDefault", "ec2", {"GetEbsEncryptionByDefaultRequest": ""})


@api("DeleteFlowLogs", "ec2", False)
def _del_flow(call, ctx):
    fid = arg(call, "flow_log", None) or ctx.res.flow_logs[ctx.region][0]
    resp = {"DeleteFlowLogsResponse": {"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/",
                                       "requestId": uuid4(ctx.r), "unsuccessful": ""}}
    return {"DeleteFlowLogsRequest": {"FlowLogId": {"content": fid, "tag": 1}}}, resp, None, None


@api("CreateTags", "ec2", False)
def _create_tags(call, ctx):
    rid = arg(call, "resource", ctx.res.instances["worker-1"])
    req = {"resourcesSet": {"items": [{"resourceId": rid}]},
           "tagSet": {"items": [{"key": "ManagedBy", "value": "terraform"}]}}
    return req, _ec2_resp(ctx), None, None


@api("ImportKeyPair", "ec2", False)
def _import_key(call, ctx):
    name = arg(call, "key_name", "default")
    resp = {"requestId": uuid4(ctx.r), "keyName": name,
            "keyFingerprint": ":".join(hexid(ctx.r, 2) for _ in range(16)), "keyPairId": "key-0" + hexid(ctx.r, 16)}
    return {"keyName": name, "publicKeyMaterial": "<sensitiveDataRemoved>"}, resp, None, None


@api("CreateSecurityGroup", "ec2", False)
def _create_sg(call, ctx):
    req = {"groupName": arg(call, "name", "default-ssh"), "groupDescription": "launch-wizard",
           "vpcId": arg(call, "vpc", "vpc-0" + hexid(ctx.r, 16))}
    return req, _ec2_resp(ctx, groupId=arg(call, "group_id", "sg-0" + hexid(ctx.r, 16))), None, None


@api("AuthorizeSecurityGroupIngress", "ec2", False)
def _authz_ingress(call, ctx):
    gid = arg(call, "group_id", "sg-0" + hexid(ctx.r, 16))
    perm = {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "groups": {},
            "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {}, "prefixListIds": {}}
    rule = {"groupOwnerId": ctx.account, "isEgress": False, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
            "cidrIpv4": "0.0.0.0/0", "securityGroupRuleId": "sgr-0" + hexid(ctx.r, 16), "groupId": gid}
    return {"groupId": gid, "ipPermissions": {"items": [perm]}}, \
        _ec2_resp(ctx, securityGroupRuleSet={"items": [rule]}), None, None


@api("RunInstances", "ec2", False)
def _run(call, ctx):
    r = ctx.r
    itype = arg(call, "instance_type", "t3.medium")
    ami = arg(call, "ami", "ami-0" + hexid(r, 16))
    count = arg(call, "count", 1)
    item = {"imageId": ami, "minCount": count, "maxCount": count}
    if call.args.get("key_name"):
        item["keyName"] = call.args["key_name"]
    req = {"instancesSet": {"items": [item]}, "instanceType": itype, "blockDeviceMapping": {},
           "monitoring": {"enabled": False}, "disableApiTermination": False, "disableApiStop": False,
           "clientToken": uuid4(r)}
    if call.args.get("group_id"):
        req["groupSet"] = {"items": [{"groupId": call.args["group_id"]}]}
    instances = []
    for i in range(count):
        instances.append({"instanceId": "i-0" + hexid(r, 16), "imageId": ami, "instanceState": {"code": 0, "name": "pending"},
                          "privateDnsName": "ip-172-31-%d-%d.%s.compute.internal" % (r.randrange(256), r.randrange(256), ctx.region),
                          "amiLaunchIndex": i, "productCodes": {}, "instanceType": itype, "launchTime": call.t,
                          "placement": {"availabilityZone": ctx.region + "a", "tenancy": "default"},
                          "monitoring": {"state": "disabled"}, "stateReason": {"code": "pending", "message": "pending"},
                          "architecture": "x86_64", "rootDeviceType": "ebs", "rootDeviceName": "/dev/xvda",
                          "hypervisor": "xen", "ebsOptimized": False, "enaSupport": True})
    resp = {"requestId": uuid4(r), "reservationId": "r-0" + hexid(r, 16), "ownerId": ctx.account,
            "groupSet": {}, "instancesSet": {"items": instances}}
    return req, resp, None, None


@api("TerminateInstances", "ec2", False)
def _terminate(call, ctx):
    iid = arg(call, "instance", "i-0" + hexid(ctx.r, 16))
    resp = {"requestId": uuid4(ctx.r), "instancesSet": {"items": [
        {"instanceId": iid, "currentState": {"code": 32, "name": "shutting-down"},
         "previousState": {"code": 16, "name": "running"}}]}}
    return {"instancesSet": {"items": [{"instanceId": iid}]}}, resp, None, None


# ---------------------------------------------------------------- Lambda
def _fn(call, ctx):
    return arg(call, "function", None) or pick(ctx, ctx.res.functions)


simple("ListFunctions20150331", "lambda", None)
simple("ListLayers20181031", "lambda", None)
simple("ListEventSourceMappings20150331", "lambda", None)
simple("GetFunction20150331v2", "lambda", lambda c, x: {"functionName": _fn(c, x)})
simple("GetFunctionConfiguration20150331v2", "lambda", lambda c, x: {"functionName": _fn(c, x)})
simple("GetPolicy20150331v2", "lambda", lambda c, x: {"functionName": _fn(c, x)})


@api("UpdateFunctionCode20150331v2", "lambda", False)
def _update_code(call, ctx):
    fn = _fn(call, ctx)
    resp = {"functionName": fn, "functionArn": ctx.res.function_arn(fn, ctx.region), "runtime": "python3.12",
            "role": ctx.res.role_arn(arg(call, "role", "lambda-" + fn)), "handler": "app.handler",
            "codeSize": ctx.r.randint(20000, 9000000), "description": "", "timeout": 60, "memorySize": 256,
            "lastModified": iso(call.t).replace("Z", ".000+0000"), "codeSha256": token(ctx.r, 43) + "=",
            "version": "$LATEST", "tracingConfig": {"mode": "PassThrough"}, "revisionId": uuid4(ctx.r),
            "state": "Active", "lastUpdateStatus": "InProgress", "packageType": "Zip", "architectures": ["x86_64"]}
    return {"functionName": fn, "publish": False, "dryRun": False}, resp, None, None


# ---------------------------------------------------------------- RDS, DynamoDB, ECS, ECR, misc reads
simple("DescribeDBInstances", "rds", None)
simple("DescribeDBClusters", "rds", {"includeShared": False})
simple("DescribeDBSnapshots", "rds", {"includeShared": False, "includePublic": False})
simple("DescribeDBSubnetGroups", "rds", None)
simple("ListTables", "dynamodb", None)
simple("DescribeTable", "dynamodb", lambda c, x: {"tableName": arg(c, "table", pick(x, x.res.tables))})
simple("DescribeContinuousBackups", "dynamodb", lambda c, x: {"tableName": arg(c, "table", pick(x, x.res.tables))})
simple("ListClusters", "ecs", None)
simple("DescribeServices", "ecs", lambda c, x: {"cluster": "apps-prod", "services": [arg(c, "service", "orders-api")]})
simple("DescribeTaskDefinition", "ecs", lambda c, x: {"taskDefinition": arg(c, "service", "orders-api")})
simple("DescribeRepositories", "ecr", None)
simple("GetAuthorizationToken", "ecr", None)
simple("ListQueues", "sqs", None)
simple("ListTopics", "sns", None)
simple("eks:ListClusters", "eks", None)
simple("DescribeStacks", "cloudformation", None)
simple("ListStacks", "cloudformation", {"stackStatusFilter": ["CREATE_COMPLETE", "UPDATE_COMPLETE"]})
simple("DescribeLoadBalancers", "elasticloadbalancing", None)
simple("DescribeTargetGroups", "elasticloadbalancing", None)
simple("DescribeTargetHealth", "elasticloadbalancing", lambda c, x: {
    "targetGroupArn": "arn:aws:elasticloadbalancing:%s:%s:targetgroup/storefront-web/%s" % (x.region, x.account, hexid(x.r, 16))})
simple("DescribeAlarms", "monitoring", {"maxRecords": 100})
simple("DescribeLogGroups", "logs", None)
simple("ListHostedZones", "route53", None)
simple("ListCertificates", "acm", {"includes": {}})
simple("DescribeOrganization", "organizations", None)
simple("ListAccounts", "organizations", None)
simple("DescribeTrails", "cloudtrail", {"trailNameList": [], "includeShadowTrails": True})
simple("ListTrails", "cloudtrail", None)
simple("GetTrailStatus", "cloudtrail", lambda c, x: {"name": x.res.trail_arn})
simple("GetEventSelectors", "cloudtrail", lambda c, x: {"trailName": x.res.trail_arn})
simple("StopLogging", "cloudtrail", lambda c, x: {"name": x.res.trail_arn}, read_only=False)
simple("DeleteTrail", "cloudtrail", lambda c, x: {"name": x.res.trail_arn}, read_only=False)
simple("ListDetectors", "guardduty", None)
simple("GetDetector", "guardduty", lambda c, x: {"detectorId": x.res.detectors[x.region]})
simple("UpdateDetector", "guardduty", lambda c, x: {"detectorId": x.res.detectors[x.region], "enable": False},
       read_only=False)
simple("DeleteDetector", "guardduty", lambda c, x: {"detectorId": x.res.detectors[x.region]}, read_only=False)
simple("DescribeConfigurationRecorders", "config", None)
simple("DescribeConfigurationRecorderStatus", "config", None)
simple("DescribeDeliveryChannels", "config", None)
simple("StopConfigurationRecorder", "config", {"configurationRecorderName": "default"}, read_only=False)
simple("GetCostAndUsage", "ce", lambda c, x: {"timePeriod": {"start": arg(c, "start", "2025-06-01"),
                                                             "end": arg(c, "end", "2025-06-02")},
                                              "granularity": "DAILY", "metrics": ["UnblendedCost"],
                                              "groupBy": [{"type": "DIMENSION", "key": "SERVICE"}]})
simple("DescribeEventAggregates", "health", {"filter": {"eventStatusCodes": ["open", "upcoming"]},
                                             "aggregateField": "eventTypeCategory"})


@api("CreateExportTask", "logs", False)
def _export(call, ctx):
    group = arg(call, "group", ctx.res.log_groups[0])
    req = {"taskName": "archive-%s" % hexid(ctx.r, 8), "logGroupName": group, "from": call.t - 2 * HOUR,
           "to": call.t - HOUR, "destination": ctx.res.buckets["logs"],
           "destinationPrefix": "exports/" + group.strip("/").replace("/", "-")}
    return req, {"taskId": uuid4(ctx.r)}, None, None


simple("DescribeExportTasks", "logs", None)


@api("CreateLogStream", "logs", False)
def _log_stream(call, ctx):
    return {"logGroupName": arg(call, "group", ctx.res.log_groups[0]),
            "logStreamName": "%s/[$LATEST]%s" % (iso(call.t)[:10].replace("-", "/"), hexid(ctx.r, 32))}, None, None, None


@api("BatchCheckLayerAvailability", "ecr", True)
def _bcla(call, ctx):
    return {"repositoryName": arg(call, "repo", "storefront-web"), "registryId": ctx.account,
            "layerDigests": ["sha256:" + hexid(ctx.r, 64) for _ in range(3)]}, None, None, None


@api("InitiateLayerUpload", "ecr", False)
def _ilu(call, ctx):
    return {"repositoryName": arg(call, "repo", "storefront-web"), "registryId": ctx.account}, \
        {"uploadId": uuid4(ctx.r), "partSize": 20971520}, None, None


@api("CompleteLayerUpload", "ecr", False)
def _clu(call, ctx):
    return {"repositoryName": arg(call, "repo", "storefront-web"), "registryId": ctx.account,
            "uploadId": uuid4(ctx.r), "layerDigests": ["sha256:" + hexid(ctx.r, 64)]}, \
        {"registryId": ctx.account, "repositoryName": arg(call, "repo", "storefront-web"),
         "uploadId": uuid4(ctx.r), "layerDigest": "sha256:" + hexid(ctx.r, 64)}, None, None


@api("PutImage", "ecr", False)
def _put_image(call, ctx):
    repo, tag = arg(call, "repo", "storefront-web"), arg(call, "tag", hexid(ctx.r, 7))
    res = [{"accountId": ctx.account, "ARN": "arn:aws:ecr:%s:%s:repository/%s" % (ctx.region, ctx.account, repo)}]
    digest = "sha256:" + hexid(ctx.r, 64)
    return {"repositoryName": repo, "imageTag": tag, "registryId": ctx.account,
            "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json"}, \
        {"image": {"registryId": ctx.account, "repositoryName": repo, "imageId": {"imageDigest": digest, "imageTag": tag}}}, \
        res, None


@api("UpdateService", "ecs", False)
def _update_service(call, ctx):
    svc = arg(call, "service", "orders-api")
    return {"cluster": "apps-prod", "service": svc, "taskDefinition": "%s:%d" % (svc, arg(call, "revision", 42)),
            "forceNewDeployment": False}, None, None, None
