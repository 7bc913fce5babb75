import AWS
import AsyncHTTPClient
import EventModel
import Foundation
import Ingest
import NIOCore
import Runtime

/// Reads one S3 object on the engine thread: GetObject is sent by an async task, and each body
/// chunk is fetched by a short task the engine thread waits for, then pushed through the same
/// inflate → frame → decode stages as a local file (no temporary file, memory bounded by a
/// chunk plus the longest record). Detection stays on the engine thread, in order.
final class QueueObjectReader {
    private let inflater: Inflater
    private let framer: Framer

    init(options: IngestOptions) {
        inflater = Inflater(options: options)
        framer = Framer(options: options)
    }

    /// Streams `object` into `decoder`/`handle`; returns the compressed bytes read. Throws the
    /// S3 error (`AWSError`: not found, access denied, request failed) when the object cannot be
    /// read; what was decoded before a broken read stays handed on.
    func read(
        _ object: S3ObjectRef, s3: S3Client, decoder: FileDecoder, _ handle: (DecodedItem) -> Void
    ) throws -> Int64 {
        let path = object.description
        let body = try Self.wait { try await s3.get(bucket: object.bucket, key: object.key).body }
        let cursor = BodyCursor(body.makeAsyncIterator())
        inflater.reset(path: path)
        framer.reset(path: path)
        let framer = self.framer
        func onRecord(_ bytes: UnsafeRawBufferPointer, _ info: RecordInfo) {
            decoder.record(bytes, info.origin, isText: info.isText, handle)
        }
        func onDiagnostic(_ d: Diagnostic) { handle(.diagnostic(d)) }
        func frame(_ chunk: UnsafeRawBufferPointer) {
            framer.push(chunk, onRecord: onRecord, onDiagnostic: onDiagnostic)
        }
        var total: Int64 = 0
        while let chunk = try Self.wait({ try await cursor.next() }) {
            total += Int64(chunk.readableBytes)
            let more = chunk.withUnsafeReadableBytes { inflater.push($0, onOutput: frame, onDiagnostic: onDiagnostic) }
            if !more { break }
        }
        if !inflater.stopped { inflater.finish(onOutput: frame, onDiagnostic: onDiagnostic) }
        framer.finish(reportTruncation: !inflater.reportedProblem, onRecord: onRecord, onDiagnostic: onDiagnostic)
        return total
    }

    /// Runs `work` as a task and blocks this (non-async, dedicated) thread until it ends.
    static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Locked<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let value = try await work()
                result.with { $0 = .success(value) }
            } catch {
                result.with { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        guard let r = result.with({ $0 }) else {
            throw AWSError("aws.request_failed", "the read ended without a result")
        }
        return try r.get()
    }
}

/// The body's iterator, advanced by one task at a time (the engine thread waits for each), so
/// it is never touched concurrently although it crosses tasks.
private final class BodyCursor: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator) { self.iterator = iterator }

    func next() async throws -> ByteBuffer? {
        var it = iterator
        let chunk = try await it.next()
        iterator = it
        return chunk
    }
}
