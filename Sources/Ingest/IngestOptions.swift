/// Limits and buffer sizes for reading one input. Every limit exists because
/// the input is attacker-controlled: memory stays bounded by
/// `chunkSize * 2 + maxRecordBytes` per reader whatever the file contains.
public struct IngestOptions: Sendable, Hashable {
    /// Stop a file (`gzip.too_large`) once it has inflated to more than this
    /// many bytes; protects against decompression bombs. Plain input is capped
    /// the same way (`input.too_large`), so `/dev/zero` or an endless pipe ends.
    public var maxDecompressedBytes: Int64
    /// A record longer than this is skipped (`frame.too_large`) without being buffered.
    public var maxRecordBytes: Int
    /// A record nested deeper than this (counted from the record itself) is skipped (`frame.too_deep`).
    public var maxDepth: Int
    /// Bytes read from a file, and bytes inflated, per step. 128–256 KiB keeps
    /// syscalls rare and buffers in L2; tests use tiny values to cross boundaries.
    public var chunkSize: Int
    /// At most this many framing diagnostics are reported per file; later ones
    /// are only counted (`FileStats.suppressedDiagnostics`), so a binary file
    /// fed by mistake cannot flood the output with one diagnostic per line.
    public var maxDiagnosticsPerFile: Int
    /// Where inputs written as URLs (`s3://…`) are read from; nil: local files only. Set by
    /// the runtime when an input names an object store, so the readers stay unaware of it.
    public var objects: ObjectSourceRef? = nil

    /// Creates options; the defaults suit CloudTrail archives.
    public init(
        maxDecompressedBytes: Int64 = 4 << 30,
        maxRecordBytes: Int = 8 << 20,
        maxDepth: Int = 64,
        chunkSize: Int = 256 << 10,
        maxDiagnosticsPerFile: Int = 100
    ) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxRecordBytes = max(1, maxRecordBytes)
        self.maxDepth = max(1, maxDepth)
        self.chunkSize = max(1, chunkSize)
        self.maxDiagnosticsPerFile = max(0, maxDiagnosticsPerFile)
    }
}
