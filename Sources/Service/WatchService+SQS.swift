import AWS
import AsyncHTTPClient
import Config
import EventModel
import Foundation
import HTTPTransport
import Runtime

extension WatchService {
    /// The SQS inputs of `config`, each with its signed SQS and S3 clients; a problem that stops
    /// the start (no region) is returned as a printable line instead.
    static func makeQueues(
        _ config: WatchConfig, metrics: Locked<MetricValues>, wake: @escaping @Sendable () -> Void,
        env: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<[SQSInput], ConfigIssue> {
        var out: [SQSInput] = []
        for q in config.queues {
            // The config's transport (CA bundle, proxies), checked when the config was read.
            let http: HTTPClient
            do {
                http = try HTTPTransport.processWide(config.transport).client(for: q.url)
            } catch {
                return .failure(ConfigIssue(file: q.url, code: "config.ca_bundle", message: "\(error)"))
            }
            guard
                let region = q.region ?? SQSClient.region(ofQueue: q.url)
                    ?? CredentialChain.region(env: env, flag: nil)
            else {
                return .failure(
                    ConfigIssue(
                        file: q.url, code: "config.missing_key",
                        message: "no region for this queue: give region: (or --region), or set AWS_REGION"))
            }
            let credentials = CredentialChain(env: env, http: http, region: region).provider()
            let client = AWSClient(http: http, credentials: credentials, region: region)
            let endpoint = q.endpointURL ?? env["AWS_ENDPOINT_URL_SQS"] ?? env["AWS_ENDPOINT_URL"]
            let sqs = SQSClient(client: client, queueURL: q.url, endpoint: endpoint)
            let s3 = S3Client(client: client, endpoint: q.endpointURL ?? S3Client.endpoint(env: env))
            out.append(
                SQSInput(
                    queue: q, sqs: sqs, s3: s3, metrics: metrics, askQueueWhenEmpty: config.exitWhenIdle, wake: wake))
        }
        return .success(out)
    }
}
