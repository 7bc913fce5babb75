import AWS
import EventModel
import Foundation
import Ingest
import Runtime

/// The engine's side of the SQS inputs: it reads the objects each message names (on the engine
/// thread, in message order), then checkpoints; the checkpoint's commit releases the messages
/// for deletion (`SQSInput.committed`). So a kill at any moment loses no object: a message is
/// deleted only after the events of its objects are in the state file, and a message read but
/// not yet deleted comes back, where the engine's event-id memory drops its events as repeats.
extension WatchEngine {
    /// Reads what the queues delivered; true when any message was read.
    func stepQueues() -> Bool {
        var progressed = false
        for q in queues {
            for p in q.takeProblems() {
                diagnose(
                    Diagnostic(origin: Origin(path: q.queue.url, record: 0), code: "sqs.request_failed", message: p))
            }
            let batch = q.take()
            guard !batch.isEmpty else { continue }
            progressed = true
            for m in batch { read(m, from: q) }
            dirty = true
            checkpoint()
        }
        return progressed
    }

    /// One message: parse, read each object, then mark it processed or give it up.
    private func read(_ m: SQSMessage, from q: SQSInput) {
        let origin = Origin(path: q.queue.url, record: 0)
        let notification: S3Notification
        switch S3Notification.parse(m.body) {
        case .failure(let e):
            diagnose(
                Diagnostic(
                    origin: origin, code: e.code,
                    message: "message \(m.id) (received \(m.receiveCount) time(s)): \(e.message); left for the "
                        + "queue's redrive policy"))
            q.giveUp(m)
            return
        case .success(let n):
            notification = n
        }
        var ok = true
        for object in notification.objects {
            if !readObject(object, q, message: m) { ok = false }
        }
        if ok { q.processed(m) } else { q.giveUp(m) }
    }

    /// Streams one object into the pipeline; false when it could not be read (reported).
    private func readObject(_ object: S3ObjectRef, _ q: SQSInput, message m: SQSMessage) -> Bool {
        if CloudTrailPath.isDigest(object.key) {
            diagnose(
                Diagnostic(
                    origin: Origin(path: object.description, record: 0), level: .note, code: "input.digest_skipped",
                    message: "CloudTrail digest file skipped (integrity digests carry no events)"))
            return true
        }
        do {
            let stream = q.stream ?? QueueObjectReader(options: ingest)
            q.stream = stream
            let n = try stream.read(object, s3: q.s3, decoder: decoder) { item in
                if case .event(let e) = item { eventLog?.append(e.eventId) }
                pipeline.handle(item)
            }
            shared.metrics.with {
                $0.bytes += n
                $0.sqs.objects += 1
            }
            return true
        } catch {
            let code = (error as? AWSError)?.code ?? "aws.request_failed"
            diagnose(
                Diagnostic(
                    origin: Origin(path: object.description, record: 0), code: "sqs.object_failed",
                    message: "cannot read the object named by message \(m.id): \(error) [\(code)]; the message is "
                        + "left for the queue's redrive policy"))
            return false
        }
    }

    /// Whether every queue answered empty and holds nothing (for `--exit-when-idle`).
    var queuesDrained: Bool { queues.allSatisfy(\.drained) }
}
