import EventModel
import TestSupport
import Testing

@testable import Formats

/// Decodes `bytes` with a fresh decoder.
func decode(bytes: [UInt8], path: String = "test.json", record: Int = 1) -> (DecodeResult, [Diagnostic]) {
    var d = RecordDecoder()
    let r = bytes.withUnsafeBytes { d.decode($0, origin: Origin(path: path, record: record)) }
    return (r, d.warnings)
}

/// Decodes a JSON text with a fresh decoder.
func decode(_ json: String) -> DecodeResult { decode(bytes: Array(json.utf8)).0 }

/// The event, or a recorded issue and nil.
func event(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> Event? {
    switch decode(json) {
    case .event(let e): return e
    case let other:
        Issue.record("expected an event, got \(other)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The event of a record built by `CloudTrailRecord.record(changes)`.
func event(_ changes: [String: String?], sourceLocation: SourceLocation = #_sourceLocation) -> Event? {
    event(CloudTrailRecord.record(changes), sourceLocation: sourceLocation)
}

/// The event of a record with members replaced (never removed).
func event(_ changes: [String: String], sourceLocation: SourceLocation = #_sourceLocation) -> Event? {
    event(CloudTrailRecord.record(changes.mapValues { Optional($0) }), sourceLocation: sourceLocation)
}

/// The diagnostic of a failed decode, nil otherwise.
func failure(_ json: String) -> Diagnostic? {
    if case .failed(let d) = decode(json) { return d }
    return nil
}

/// The diagnostic of a skipped record, nil otherwise.
func skipped(_ json: String) -> Diagnostic? {
    if case .skipped(let d) = decode(json) { return d }
    return nil
}
