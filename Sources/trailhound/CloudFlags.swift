import ArgumentParser
import AsyncHTTPClient
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

    /// The runtime's cloud options; credentials come from the environment as the AWS CLI finds them.
    func options() -> CloudOptions {
        var o = CloudOptions()
        o.endpointURL = endpointURL
        o.region = region
        o.http = HTTPClient.shared  // lead: use HTTPTransport
        return o
    }
}
