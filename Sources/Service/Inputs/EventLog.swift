import Foundation
import Runtime

/// Debug aid for tests: the id of every event processed, one per line. Cut
/// back to its size at the last checkpoint on start, so that after a crash it
/// lists exactly the events processed, each once.
final class EventLog {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var size: Int64
    private var failed = false

    init(path: String, truncateTo: Int64) throws {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(truncateTo))
        try handle.seekToEnd()
        size = truncateTo
    }

    func append(_ id: String) {
        buffer.append(contentsOf: id.utf8)
        buffer.append(10)
    }

    /// Writes the buffer; a write error (disk full) is reported once and the
    /// log stops (it is a debug aid: the service goes on).
    func flush() {
        guard !buffer.isEmpty, !failed else { return buffer.removeAll(keepingCapacity: true) }
        do {
            try handle.write(contentsOf: buffer)
            size += Int64(buffer.count)
        } catch {
            failed = true
            Terminal.err("trailhound: error: cannot write the event log: \(error.localizedDescription); it stops here")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() {
        flush()
        try? handle.close()
    }
}
