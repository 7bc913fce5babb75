import EventModel
import Ingest
import Testing

/// Azure diagnostic-settings exports wrap events in `{"records":[…]}` (lower-case r).
@Suite struct FramerLowercaseRecordsTests {
    @Test func lowercaseRecordsArrayIsSplitAcrossEveryChunkSize() {
        let events = [
            #"{"time":"2026-03-01T10:00:00Z","operationName":"MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ","x":"}]"}"#,
            #"{"time":"2026-03-01T10:01:00Z","category":"kube-audit","properties":{"log":"{\"kind\":\"Event\"}"}}"#,
        ]
        let text = "{\"records\": [\n" + events.joined(separator: ",\n") + "\n]}\n"
        for chunk in 1...30 {
            let c = frame(text, chunk: chunk)
            #expect(c.records == events, "chunk \(chunk)")
            #expect(c.diagnostics.isEmpty, "chunk \(chunk)")
            #expect(
                c.infos.map(\.origin) == [
                    Origin(path: "t.json", record: 1, isLine: false), Origin(path: "t.json", record: 2, isLine: false),
                ])
        }
    }

    @Test func otherCasingsAndLookalikeKeysAreNotRecordArrays() {
        // Only the first letter may differ in case; `RECORDS` and `recordsX` are ordinary keys.
        for key in ["RECORDS", "recordsX", "rRecords", "record"] {
            let text = "{\"\(key)\":[{\"a\":1}]}"
            let c = frame(text)
            #expect(c.records == [text], "key \(key)")
        }
    }

    @Test func singleAzureEventPerLineStaysARecord() {
        let lines = [
            #"{"time":"2026-03-01T10:00:00Z","operationName":{"value":"Microsoft.Authorization/roleAssignments/write"}}"#,
            #"{"time":"2026-03-01T10:00:01Z","records_count":2}"#,
        ]
        let c = frame(lines.joined(separator: "\n") + "\n")
        #expect(c.records == lines)
        #expect(c.diagnostics.isEmpty)
    }
}
