import Foundation

/// Where a followed file stood at a checkpoint, beyond the byte offset kept
/// in the state's `inputs` table: a fingerprint of the file's first bytes (to
/// recognise it after a restart even if it was renamed or gzipped meanwhile)
/// and the line and record counts before the offset (so origins stay
/// `file:line` exactly as a `scan` of the whole file prints them).
public struct TailMark: Sendable, Codable, Hashable {
    /// Bytes covered by the fingerprint (0: the file was empty).
    public var fingerprintLength: Int
    /// FNV-1a of those bytes, hex.
    public var fingerprint: String
    /// Lines before the offset.
    public var lineBase: Int
    /// `Records` array elements before the offset.
    public var recordBase: Int
}

/// The service's part of a checkpoint, saved as an opaque entry of the
/// detector-state map so that it commits in the SAME SQLite transaction as the
/// baselines, detector windows and input offsets. It carries the findings
/// produced since the previous checkpoint: they reach the outbox (and so any
/// sink) only after this transaction committed, and after a crash they are
/// moved again from here (idempotently, by sequence number).
public struct Journal: Sendable, Codable {
    /// Key of the entry in the detector-state map (never a detector id: those contain no `#`).
    public static let key = "#watch.journal"
    /// Format version.
    public var version = 1
    /// Sequence number the next finding gets.
    public var nextSeq: Int64 = 1
    /// Findings committed by this checkpoint and not yet known to be in the outbox.
    public var findings: [OutboxEntry] = []
    /// Followed files by path.
    public var tails: [String: TailMark] = [:]
    /// Size of the debug event-id log at this checkpoint (tests), nil when not kept.
    public var eventLogSize: Int64?

    /// Creates an empty journal.
    public init() {}

    /// Encoded for the state file.
    public func encoded() -> [UInt8] {
        (try? Array(JSONEncoder().encode(self))) ?? []
    }

    /// Decodes a saved journal; nil when absent or unreadable.
    public static func decode(_ bytes: [UInt8]?) -> Journal? {
        guard let bytes, !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(Journal.self, from: Data(bytes))
    }
}
