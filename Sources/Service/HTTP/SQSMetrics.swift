/// Counters of the SQS inputs (`watch --sqs`), summed over the queues.
struct SQSMetricValues: Sendable {
    /// Messages received (a redelivery counts again).
    var received = 0
    /// Messages deleted after the checkpoint holding their objects' events committed.
    var deleted = 0
    /// Messages that could not be honoured (malformed body, object missing or denied), left to
    /// the queue's redrive policy.
    var failed = 0
    /// Visibility extensions sent for messages still being read or waiting for their checkpoint.
    var extended = 0
    /// Objects read whole.
    var objects = 0
    /// Messages received and neither deleted nor given up, by queue URL.
    var inFlight: [String: Int] = [:]

    /// The Prometheus lines (appended to `MetricsText.render`'s output).
    func text() -> String {
        var o = ""
        func single(_ name: String, _ type: String, _ help: String, _ v: Int) {
            o += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(v)\n"
        }
        single("trailhound_sqs_messages_received_total", "counter", "SQS messages received.", received)
        single(
            "trailhound_sqs_messages_deleted_total", "counter",
            "SQS messages deleted after their checkpoint committed.", deleted)
        single(
            "trailhound_sqs_messages_failed_total", "counter",
            "SQS messages that could not be honoured, left to the queue's redrive policy.", failed)
        single(
            "trailhound_sqs_messages_in_flight", "gauge", "SQS messages received and not yet deleted or given up.",
            inFlight.values.reduce(0, +))
        single(
            "trailhound_sqs_visibility_extensions_total", "counter",
            "Visibility extensions of messages still being read or committed.", extended)
        single("trailhound_sqs_objects_total", "counter", "S3 objects named by SQS messages and read whole.", objects)
        return o
    }
}
