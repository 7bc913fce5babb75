import EventModel

/// Where a framed record came from, handed out with each record.
public struct RecordInfo: Sendable, Hashable {
    /// `path:line` for top-level values (JSON lines, a single object) or
    /// `path:#index` (1-based, counted over the whole file) for elements of a
    /// `Records` array or of a top-level array.
    public var origin: Origin
    /// 1-based line of the decompressed stream where the record starts (for
    /// `Records` files too, where `origin` holds the index instead).
    public var line: Int
    /// Byte offset of the record's first byte in the decompressed stream.
    public var offset: Int64
    /// The record is a line of text that does not start like JSON (an access-log line:
    /// nginx, ALB); the decoder offers it to the text formats instead of the JSON ones.
    public var isText: Bool

    /// Creates a record location.
    public init(origin: Origin, line: Int, offset: Int64, isText: Bool = false) {
        self.origin = origin
        self.line = line
        self.offset = offset
        self.isText = isText
    }
}
