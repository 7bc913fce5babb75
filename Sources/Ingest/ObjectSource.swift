/// What one step of reading a stream gave.
public enum ChunkRead: Sendable, Hashable {
    /// This many bytes were written to the buffer (0 is allowed: nothing yet, ask again).
    case bytes(Int)
    /// The stream ended normally.
    case end
    /// The stream failed; reported as a diagnostic with `code`, and what was read before is kept.
    case failed(code: String, message: String)
}

/// A body being read chunk by chunk (an object store's GET), pulled by `RecordReader`.
public protocol ObjectStream: AnyObject {
    /// Fills `buffer` with the next bytes, blocking until some arrive, the end, or a failure.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ChunkRead
    /// Stops the transfer early (the reader gave up on the input); idempotent.
    func close()
}

/// Inputs that are not local files (`s3://bucket/key`): the runtime supplies one, so the
/// ingest layer reads objects exactly as it reads files, without knowing the protocol.
public protocol ObjectSource: AnyObject, Sendable {
    /// Whether `path` names an object this source reads.
    func handles(_ path: String) -> Bool
    /// Starts reading `path`; failures surface as `.failed` from the stream's first read.
    func open(_ path: String) -> any ObjectStream
}

/// An `ObjectSource` inside `IngestOptions`, compared by identity so the options stay Hashable.
public struct ObjectSourceRef: Sendable, Hashable {
    /// The source.
    public let source: any ObjectSource

    /// Wraps `source`.
    public init(_ source: any ObjectSource) { self.source = source }

    /// Same source object.
    public static func == (a: ObjectSourceRef, b: ObjectSourceRef) -> Bool { a.source === b.source }

    /// Hashes the source's identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(a)) }

    private var a: AnyObject { source }
}
