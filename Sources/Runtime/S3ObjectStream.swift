import AWS
import AsyncHTTPClient
import Foundation
import Ingest
import NIOCore

/// One S3 object's body handed from the HTTP client (async, on NIO threads) to a decoding
/// thread (blocking), chunk by chunk, with no temporary file. The producer reads ahead up to
/// `capacity` bytes and then waits for the reader, so memory per object in flight is bounded.
/// A body that breaks off is resumed with a `Range` GET from the byte reached (up to
/// `maxResumes` times); a GET that fails outright surfaces as the stream's failure.
final class S3ObjectStream: ObjectStream, @unchecked Sendable {
    private let cond = NSCondition()
    private var chunks: [ByteBuffer] = []
    private var head = 0
    private var buffered = 0
    private var finished = false
    private var failure: (code: String, message: String)?
    private var waitingProducer: CheckedContinuation<Void, Never>?
    private var task: Task<Void, Never>?
    private let capacity: Int
    static let maxResumes = 3

    init(s3: S3Client, url: S3URL, capacity: Int = 4 << 20) {
        self.capacity = capacity
        task = Task { [self] in await self.produce(s3, url) }
    }

    deinit { task?.cancel() }

    private func produce(_ s3: S3Client, _ url: S3URL) async {
        var received: Int64 = 0
        var resumes = 0
        while true {
            do {
                let response = try await s3.get(bucket: url.bucket, key: url.key, offset: received)
                for try await buffer in response.body {
                    received += Int64(buffer.readableBytes)
                    await withCheckedContinuation { c in push(buffer, c) }
                    if Task.isCancelled { return end(nil) }
                }
                return end(nil)
            } catch let error as AWSError {
                return end((error.code, error.message))
            } catch {
                if Task.isCancelled { return end(nil) }
                resumes += 1
                if received == 0 || resumes > S3ObjectStream.maxResumes {
                    return end(("aws.request_failed", "GET \(url) failed after \(received) bytes: \(error)"))
                }
            }
        }
    }

    /// Queues a chunk; the producer goes on at once while there is room, else when the reader
    /// has drained below `capacity`.
    private func push(_ buffer: ByteBuffer, _ c: CheckedContinuation<Void, Never>) {
        cond.lock()
        chunks.append(buffer)
        buffered += buffer.readableBytes
        let room = buffered < capacity
        if !room { waitingProducer = c }
        cond.broadcast()
        cond.unlock()
        if room { c.resume() }
    }

    private func end(_ problem: (String, String)?) {
        cond.lock()
        finished = true
        failure = problem.map { (code: $0.0, message: $0.1) }
        cond.broadcast()
        cond.unlock()
    }

    func read(into out: UnsafeMutableRawBufferPointer) -> ChunkRead {
        cond.lock()
        while head == chunks.count && !finished { cond.wait() }
        var copied = 0
        while copied < out.count && head < chunks.count {
            let n = min(out.count - copied, chunks[head].readableBytes)
            chunks[head].withUnsafeReadableBytes { src in
                UnsafeMutableRawBufferPointer(rebasing: out[copied..<(copied + n)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<n]))
            }
            chunks[head].moveReaderIndex(forwardBy: n)
            copied += n
            if chunks[head].readableBytes == 0 { head += 1 }
        }
        if head > 64 {
            chunks.removeFirst(head)
            head = 0
        }
        buffered -= copied
        var wake: CheckedContinuation<Void, Never>? = nil
        if buffered < capacity {
            wake = waitingProducer
            waitingProducer = nil
        }
        var result = ChunkRead.end
        if copied > 0 {
            result = .bytes(copied)
        } else if let failure {
            result = .failed(code: failure.code, message: failure.message)
        }
        cond.unlock()
        wake?.resume()
        return result
    }

    func close() {
        task?.cancel()
        cond.lock()
        let wake = waitingProducer
        waitingProducer = nil
        cond.unlock()
        wake?.resume()
    }
}

/// Reads `s3://bucket/key` inputs for `RecordReader` through an `S3Client`.
public final class S3ObjectSource: ObjectSource, @unchecked Sendable {
    /// The client every GET goes through.
    public let s3: S3Client
    /// Bytes read ahead per object in flight.
    public let readAhead: Int

    /// Creates a source; `readAhead` bounds the memory each object in flight holds.
    public init(s3: S3Client, readAhead: Int = 4 << 20) {
        self.s3 = s3
        self.readAhead = readAhead
    }

    /// `s3://` paths.
    public func handles(_ path: String) -> Bool { S3URL(path) != nil }

    /// Starts the GET at once, so the body streams while earlier objects are still decoded.
    public func open(_ path: String) -> any ObjectStream {
        guard let url = S3URL(path) else { return FailedStream(path: path) }
        return S3ObjectStream(s3: s3, url: url, capacity: readAhead)
    }

    private final class FailedStream: ObjectStream {
        let path: String
        init(path: String) { self.path = path }
        func read(into buffer: UnsafeMutableRawBufferPointer) -> ChunkRead {
            .failed(code: "input.not_found", message: "not an s3:// object URL: \(path)")
        }
        func close() {}
    }
}
