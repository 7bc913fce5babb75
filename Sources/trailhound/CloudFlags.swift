import ArgumentParser
import AsyncHTTPClient
import Foundation
import HTTPTransport
import Runtime

/// Flags for inputs in the cloud (`s3://bucket/prefix`), shared by `scan` and `investigate`.
struct CloudFlags: ParsableArguments {
    @Option(
        name: .customLong("endpoint-url"),
        help: ArgumentHelp(
            "S3 endpoint for s3:// inputs (an S3-compatible store or a local test server); default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS.",
            valueName: "url"))
    var endpointURL: String?

    @Option(
        help: ArgumentHelp(
            "AWS region for s3:// inputs; default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1.",
            valueName: "region"))
    var region: String?

    func validate() throws {
        if let endpointURL, !(endpointURL.hasPrefix("http://") || endpointURL.hasPrefix("https://")) {
            throw ValidationError("--endpoint-url must start with http:// or https://: \(endpointURL)")
        }
        if let region, region.isEmpty || !region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        {
            throw ValidationError("--region: not a region name: \(region)")
        }
    }

    /// The runtime's cloud options for a run over `paths`; credentials come from the environment as
    /// the AWS CLI finds them. Requests go through the process's one transport:
    /// `HTTPS_PROXY`/`NO_PROXY` from the environment and, as the AWS CLI reads it, a CA bundle from
    /// `AWS_CA_BUNDLE`. The transport is made only when some input is in S3: starting it (an event
    /// loop thread, TLS configuration) cost a local scan tens of milliseconds.
    func options(for paths: [String]) throws -> CloudOptions {
        var o = CloudOptions()
        o.endpointURL = endpointURL
        o.region = region
        guard CloudInputs.reachesCloud(paths) else { return o }
        let env = ProcessInfo.processInfo.environment
        let url = endpointURL ?? env["AWS_ENDPOINT_URL_S3"] ?? env["AWS_ENDPOINT_URL"] ?? "https://s3.amazonaws.com"
        do {
            var options = HTTPTransport.Options.fromEnvironment(env)
            options.caBundle = env["AWS_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
            o.http = try HTTPTransport.processWide(options).client(for: url)
        } catch {
            throw ValidationError("\(error)")
        }
        return o
    }
}
