import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct LambdaBackdoorTests {
    let id = "persistence.lambda_backdoor"
    let ownLayer = "arn:aws:lambda:us-east-1:111122223333:layer:tools:3"
    let foreignLayer = "arn:aws:lambda:us-east-1:999988887777:layer:malicious-layer:1"

    func lambda(_ op: String, _ request: [String: String], response: [String: String] = [:]) -> Event {
        TestEvents.make("lambda", op, request: request, response: response)
    }

    @Test func ownLayerCommonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .medium, key: "production-api") { minute, error in
            TestEvents.make(
                "lambda", "UpdateFunctionConfiguration20150331v2",
                request: ["functionName": "production-api", "layers": "[\"\(ownLayer)\"]"], error: error, minute: minute
            )
        }
    }

    @Test func foreignLayerIsHigh() throws {
        let f = try #require(
            try Harness.findings(
                id,
                lambda(
                    "UpdateFunctionConfiguration20150331v2",
                    ["functionName": "production-api", "layers": "[\"\(ownLayer)\",\"\(foreignLayer)\"]"])
            ).first)
        #expect(f.severity == .high)
        #expect(f.title == "ci-deployer added layers to Lambda function production-api")
        #expect(f.fact("foreign_layers") == foreignLayer)
        #expect(f.explanation.contains("1 of them come from another account"))
        let h = try Harness(id, edit: withSetting("trusted_layer_accounts", #"["999988887777"]"#))
        #expect(h.issues.isEmpty, "\(h.issues)")
        #expect(
            h.run(lambda("UpdateFunctionConfiguration", ["functionName": "f", "layers": "[\"\(foreignLayer)\"]"]))
                .first?.severity == .medium)
    }

    @Test func updateWithoutLayersInRequestIsQuiet() throws {
        let e = lambda(
            "UpdateFunctionConfiguration20150331v2", ["functionName": "production-api", "memorySize": "512"],
            response: ["layers": #"[{"arn":"\#(foreignLayer)","codeSize":100}]"#])
        #expect(try Harness.findings(id, e).isEmpty)
        #expect(
            try Harness.findings(
                id, lambda("UpdateFunctionConfiguration20150331v2", ["functionName": "f", "layers": "[]"])
            ).isEmpty)
    }

    @Test func createFunctionReadsResponseLayers() throws {
        let e = lambda(
            "CreateFunction20150331", ["functionName": "new-fn"],
            response: ["layers": #"[{"arn":"\#(foreignLayer)","codeSize":100}]"#])
        let f = try #require(try Harness.findings(id, e).first)
        #expect(f.title == "ci-deployer created Lambda function new-fn with layers")
        #expect(f.severity == .high)
        #expect(try Harness.findings(id, lambda("CreateFunction", ["functionName": "plain"])).isEmpty)
    }

    @Test func publicFunctionURL() throws {
        let f = try #require(
            try Harness.findings(
                id, lambda("CreateFunctionUrlConfig20211031", ["functionName": "hook", "authType": "NONE"])
            ).first)
        #expect(f.severity == .high)
        #expect(f.title == "ci-deployer created a public function URL (authType NONE) for Lambda function hook")
        #expect(
            try Harness.findings(
                id, lambda("UpdateFunctionUrlConfig20211031", ["functionName": "hook", "authType": "AWS_IAM"])
            ).isEmpty)
        #expect(
            try Harness.findings(id, lambda("UpdateFunctionUrlConfig", ["functionName": "hook", "authType": "NONE"]))
                .count == 1)
    }

    @Test func invokePermissions() throws {
        let open = try #require(
            try Harness.findings(
                id,
                lambda(
                    "AddPermission20150331v2",
                    [
                        "functionName": "my-lambda-function", "principal": "*", "action": "lambda:InvokeFunction",
                        "statementId": "s",
                    ])
            ).first)
        #expect(open.severity == .high)
        #expect(
            open.title
                == #"ci-deployer allowed anyone ("*") to call lambda:InvokeFunction on Lambda function my-lambda-function"#
        )
        let restricted = try #require(
            try Harness.findings(
                id,
                lambda(
                    "AddPermission20150331",
                    [
                        "functionName": "f", "principal": "*", "sourceAccount": "111122223333",
                    ])
            ).first)
        #expect(restricted.severity == .medium)
        #expect(restricted.fact("restrictions") == "sourceAccount")
        let foreign = try #require(
            try Harness.findings(id, lambda("AddPermission", ["functionName": "f", "principal": "999988887777"])).first)
        #expect(foreign.title.contains("account 999988887777"))
        #expect(
            try Harness.findings(
                id, lambda("AddPermission20150331v2", ["functionName": "f", "principal": "s3.amazonaws.com"])
            ).isEmpty)
    }

    @Test func snsAddPermissionIsIgnored() throws {
        #expect(try Harness.findings(id, TestEvents.make("sns", "AddPermission", request: ["principal": "*"])).isEmpty)
    }

    @Test func layerSharing() throws {
        let f = try #require(
            try Harness.findings(
                id,
                lambda(
                    "AddLayerVersionPermission20181031",
                    [
                        "layerName": "tools", "versionNumber": "3", "principal": "*",
                        "action": "lambda:GetLayerVersion",
                    ])
            ).first)
        #expect(f.key == "tools")
        #expect(f.title == #"ci-deployer shared Lambda layer tools with every account ("*")"#)
        #expect(
            try Harness.findings(
                id, lambda("AddLayerVersionPermission20181031", ["layerName": "tools", "principal": "111122223333"])
            ).isEmpty)
    }

    @Test func unknownSuffixNeedsExtraOperationNames() throws {
        let e = lambda("AddPermission20150331v9", ["functionName": "f", "principal": "*"])
        #expect(try Harness.findings(id, e).isEmpty)
        let h = try Harness(id, edit: withSetting("extra_operation_names", #"["AddPermission20150331v9"]"#))
        #expect(h.issues.isEmpty, "\(h.issues)")
        #expect(h.run(e).count == 1)
        let bad = try Harness(id, edit: withSetting("extra_operation_names", #"["GetFunction"]"#))
        #expect(bad.issues.map(\.code) == ["config.value"])
    }
}
