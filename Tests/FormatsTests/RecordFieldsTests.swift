import ByteJSON
import Testing

@testable import Formats

/// `RecordFields.first` skips its scan when the record has no member whose name shares the
/// asked name's bit; every format's sniff relies on it answering as the scan would.
@Suite struct RecordFieldsTests {
    static let names: [StaticString] = [
        "eventName", "eventSource", "eventVersion", "apiVersion", "auditID", "verb", "objectRef", "requestURI",
        "schema", "protoPayload", "operationName", "category", "resourceId", "kind", "time", "", "a", "ab", "ba",
    ]

    /// The scan `first` replaced: every member, compared by name.
    static func scan(_ f: RecordFields, _ key: StaticString) -> JSONValue? {
        for m in f.members where m.key == key { return m.value }
        return nil
    }

    /// On random records made of the names above and random others, with some names written with
    /// escapes (compared as decoded text), `first` finds a member exactly when the scan does.
    @Test func firstAgreesWithTheScanOfEveryMember() throws {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<400 {
            var parts: [String] = []
            for i in 0..<Int.random(in: 0..<12, using: &rng) {
                let known = "\(Self.names.randomElement(using: &rng)!)"
                var name = Bool.random(using: &rng) ? known : "x\(round)_\(i)"
                if Int.random(in: 0..<6, using: &rng) == 0, let c = name.unicodeScalars.first {
                    let hex = String(c.value, radix: 16)
                    let rest = name.unicodeScalars.dropFirst().map(String.init).joined()
                    name = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex + rest
                }
                parts.append("\"\(name)\":\(i)")
            }
            let text = "{" + parts.joined(separator: ",") + "}"
            try Array(text.utf8).withUnsafeBytes { raw in
                var fields = RecordFields()
                var it = try JSONReader(raw, maxDepth: 16).rootMembers()
                try fields.collect(&it)
                let unsummarized = Self.names.map { fields.first($0)?.start }
                fields.summarizeNames()
                for (k, key) in Self.names.enumerated() {
                    let found = fields.first(key)?.start
                    let scanned = Self.scan(fields, key)?.start
                    #expect(found == scanned, "\(key) in \(text)")
                    #expect(unsummarized[k] == scanned, "\(key) in \(text), before the summary")
                }
            }
        }
    }
}
